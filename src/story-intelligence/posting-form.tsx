// "Suggest tags from my text" on the posting form: the text is analysed at once and the form comes
// back with the proposals; accepting one puts the tag into its field. Works without JavaScript.
import type { Kysely } from 'kysely';
import type { VNode } from 'preact';
import type { Database } from '../db/schema.ts';
import type { TagViewer } from '../tags/tags.policy.ts';
import type { TextFormat } from '../works/text/index.ts';
import { splitTags } from '../works/works.schema.ts';
import type { WorkFormValues } from '../works/works.views.tsx';
import { describeLimit, TaskInputError, TaskLimitError } from '../workers/task-pool.ts';
import { splitProposalGroups } from './story-intelligence.presenter.ts';
import { parseProposalToken, type ProposalActionInput } from './story-intelligence.schema.ts';
import { proposeForText } from './story-intelligence.service.ts';
import { PostingProposals } from './story-intelligence.views.tsx';

const FIELD: Record<'fandom' | 'character' | 'relationship' | 'freeform', string> = {
  fandom: 'fandoms',
  character: 'characters',
  relationship: 'relationships',
  freeform: 'freeforms',
};

/** The form's values with one accepted proposal put in its field. */
export function applyProposalToForm(values: WorkFormValues, p: ProposalActionInput): WorkFormValues {
  const fields = { ...values.fields };
  let warnings = [...values.warnings];
  const categories = [...values.categories];
  if (p.kind === 'rating') fields.rating = p.value;
  else if (p.kind === 'category') {
    if (!categories.includes(p.value)) categories.push(p.value);
  } else if (p.kind === 'warning') {
    if (!warnings.includes(p.value)) warnings.push(p.value);
    if (p.value !== 'No Archive Warnings Apply') warnings = warnings.filter((w) => w !== 'No Archive Warnings Apply');
  } else {
    const name = FIELD[p.kind];
    const tags = splitTags(fields[name] ?? '');
    if (!tags.some((t) => t.toLowerCase() === p.value.toLowerCase())) tags.push(p.value);
    fields[name] = tags.join(', ');
  }
  return { ...values, fields, warnings, categories };
}

/** The form as it comes back after "Suggest tags" (and after accepting one suggestion). */
export async function suggestTagsForForm(
  db: Kysely<Database>,
  values: WorkFormValues,
  chapter: { text: string; format: TextFormat } | undefined,
  acceptToken: unknown,
  // The author, for the tags they may see (visibleTagCondition); without one, only what a guest may see.
  viewer: TagViewer = null,
): Promise<{ values: WorkFormValues; box: VNode; textError?: string }> {
  const accepted = parseProposalToken(acceptToken);
  let next = accepted ? applyProposalToForm(values, accepted) : values;
  if (chapter) {
    // An uploaded file's text moves into the text box, so the form keeps it (file inputs cannot be refilled).
    next = { ...next, fields: { ...next.fields, body: chapter.text, text_format: chapter.format } };
  }
  if (!chapter || chapter.text.trim() === '')
    return { values: next, box: <PostingProposals groups={[]} lessCertain={[]} analysed={false} /> };
  const f = next.fields;
  const tags = [
    ...(f.rating ? [{ type: 'rating', name: f.rating }] : []),
    ...next.warnings.map((name) => ({ type: 'warning', name })),
    ...splitTags(f.fandoms ?? '').map((name) => ({ type: 'fandom', name })),
    ...splitTags(f.relationships ?? '').map((name) => ({ type: 'relationship', name })),
    ...splitTags(f.characters ?? '').map((name) => ({ type: 'character', name })),
    ...splitTags(f.freeforms ?? '').map((name) => ({ type: 'freeform', name })),
    ...next.categories.map((name) => ({ type: 'category', name })),
  ];
  let proposals;
  try {
    proposals = await proposeForText(db, { text: chapter.text, format: chapter.format, tags, viewer });
  } catch (error) {
    // Text too deep, too slow or too large to read: said at the text box, the form kept as typed.
    if (error instanceof TaskLimitError || error instanceof TaskInputError) {
      const textError =
        error instanceof TaskLimitError
          ? `${describeLimit(error, 'Reading this text for suggestions')} You can still post it; suggestions will follow when the story is read in the background.`
          : error.message;
      return { values: next, box: <PostingProposals groups={[]} lessCertain={[]} analysed={false} />, textError };
    }
    throw error;
  }
  return { values: next, box: <PostingProposals {...splitProposalGroups(proposals, undefined, false)} analysed /> };
}
