import { z } from 'zod';

const checkbox = z.preprocess((v) => v === '1' || v === 'on' || v === 'true', z.boolean());

/** A collection's name is its address (/collections/:name): letters, digits and underscores. */
export const COLLECTION_NAME = /^[A-Za-z0-9_]{3,64}$/;

const name = z
  .string({ error: 'Give the collection a name for its address.' })
  .trim()
  .min(1, 'Give the collection a name for its address.')
  .regex(COLLECTION_NAME, 'Use 3 to 64 letters, digits or underscores for the name (no spaces), for example summer_fest_2026.');

const fields = {
  title: z
    .string({ error: 'Give the collection a title.' })
    .trim()
    .min(1, 'Give the collection a title.')
    .max(255, 'Keep the title under 255 characters.'),
  description: z.string().max(5000, 'Keep the description under 5,000 characters.').default(''),
  rules: z.string().max(20000, 'Keep the rules under 20,000 characters.').default(''),
  faq: z.string().max(20000, 'Keep the FAQ under 20,000 characters.').default(''),
  parent: z
    .string()
    .trim()
    .default('')
    .refine(
      (v) => v === '' || COLLECTION_NAME.test(v),
      'Name the parent collection by its name (letters, digits, underscores), or leave it empty.',
    ),
  closed: checkbox.default(false),
  moderated: checkbox.default(false),
  anonymous: checkbox.default(false),
  unrevealed: checkbox.default(false),
  /** A datetime-local value read as UTC; empty: no scheduled reveal (the maintainers' button only). */
  reveal_at: z
    .string()
    .trim()
    .default('')
    .refine(
      (v) => v === '' || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v),
      'Enter the reveal date and time like 2030-01-31T18:00, or leave it empty.',
    )
    .transform((v) => (v === '' ? null : new Date(`${v.length === 16 ? `${v}:00` : v}Z`)))
    .refine((d) => d === null || !Number.isNaN(d.getTime()), 'That is not a real date; enter it like 2030-01-31T18:00.'),
};

export const CreateCollectionSchema = z.object({ name, ...fields });
export type CreateCollectionInput = z.infer<typeof CreateCollectionSchema>;

/** The name is the collection's address and stays as it was made: links to it keep working. */
export const UpdateCollectionSchema = z.object(fields);
export type UpdateCollectionInput = z.infer<typeof UpdateCollectionSchema>;

export const AddItemSchema = z.object({
  collection: z
    .string({ error: 'Name the collection to add the work to.' })
    .trim()
    .min(1, 'Name the collection to add the work to.')
    .regex(COLLECTION_NAME, 'Collection names are letters, digits and underscores, as in the collection’s address.'),
  work_id: z.coerce
    .number({ error: 'Give the number of the work (from its address, /works/123).' })
    .int('Give the number of the work (from its address, /works/123).')
    .positive('Give the number of the work (from its address, /works/123).'),
});
export type AddItemInput = z.infer<typeof AddItemSchema>;

export const AddBookmarkSchema = z.object({
  collection: AddItemSchema.shape.collection,
  bookmark_id: z.coerce
    .number({ error: 'Choose one of your bookmarks.' })
    .int('Choose one of your bookmarks.')
    .positive('Choose one of your bookmarks.')
    .max(2_147_483_647, 'Choose one of your bookmarks.'),
});
export type AddBookmarkInput = z.infer<typeof AddBookmarkSchema>;

const BOOKMARK_REFERENCE =
  'Paste the bookmark’s link (on the bookmarker’s bookmarks page, each bookmark’s date links to it: …/bookmarks#bookmark-123) or its number.';

/**
 * A maintainer names someone's bookmark by its link or number. Bookmarks have no page of their own:
 * their link is their place on their owner's bookmarks page, #bookmark-123.
 */
export const InviteBookmarkSchema = z.object({
  collection: AddItemSchema.shape.collection,
  bookmark: z
    .string({ error: BOOKMARK_REFERENCE })
    .trim()
    .min(1, BOOKMARK_REFERENCE)
    .max(2000, BOOKMARK_REFERENCE)
    .transform((value, ctx) => {
      const digits = /^#?(?:bookmark-)?(\d{1,10})$/.exec(value)?.[1] ?? /#bookmark-(\d{1,10})$/.exec(value)?.[1];
      const id = digits === undefined ? 0 : Number(digits);
      if (id < 1 || id > 2_147_483_647) {
        ctx.addIssue({ code: 'custom', message: BOOKMARK_REFERENCE });
        return z.NEVER;
      }
      return id;
    }),
});
export type InviteBookmarkInput = z.infer<typeof InviteBookmarkSchema>;

export const ParticipantSchema = z.object({
  login: z.string({ error: 'Give the user name of the person to add.' }).trim().min(1, 'Give the user name of the person to add.').max(100),
  role: z.enum(['owner', 'moderator'], { error: 'Choose owner or moderator.' }).default('moderator'),
});
export type ParticipantInput = z.infer<typeof ParticipantSchema>;
