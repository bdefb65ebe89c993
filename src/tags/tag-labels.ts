import type { TagType } from '../db/schema.ts';

/** What each tag type is called on pages and in feeds (AO3's names). */
export const TAG_TYPE_LABELS: Record<TagType, string> = {
  rating: 'Rating',
  warning: 'Archive Warning',
  category: 'Category',
  media: 'Media',
  fandom: 'Fandom',
  relationship: 'Relationship',
  character: 'Character',
  freeform: 'Additional Tag',
};
