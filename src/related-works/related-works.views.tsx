import type { Relation, RelatedStatus } from '../db/tables/gifts-and-related-works.ts';
import { CheckboxGroup, SelectField, TextField } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';
import { RELATION_PHRASES } from './related-works-events.ts';
import { RELATION_LABELS, RELATIONS } from './related-works.schema.ts';
import type { RelatedLinkView } from './related-works.service.ts';

const relationOptions = [
  { value: '', label: 'Not related to another work' },
  ...RELATIONS.map((r) => ({ value: r, label: RELATION_LABELS[r] })),
];

/** "Translated into …" and friends, as the parent says of its children. */
const CHILD_PHRASES: Record<Relation, string> = {
  inspired_by: 'inspired by this work',
  translation_of: 'a translation of this work',
  remix_of: 'a remix of this work',
  podfic_of: 'a podfic of this work',
};

/**
 * The work form's related-work fields (src/works/works.views.tsx renders them): one new link, and
 * on the edit form the existing links with boxes to remove them.
 */
export function RelatedWorkFields(props: {
  values: Record<string, string>;
  errors: FieldErrors;
  links?: ReadonlyArray<{ id: number; label: string }> | undefined;
}) {
  const { values, errors } = props;
  const links = props.links ?? [];
  return (
    <fieldset class="related-work-fields">
      <legend>Related works</legend>
      {links.length > 0 ? (
        <CheckboxGroup
          name="related_remove"
          label="Remove links"
          values={(values.related_remove ?? '').split(',')}
          errors={errors}
          options={links.map((l) => ({ value: String(l.id), label: l.label }))}
        />
      ) : null}
      <SelectField
        name="related_relation"
        label="This work is"
        value={values.related_relation ?? ''}
        errors={errors}
        options={relationOptions}
      />
      <TextField
        name="related_url"
        label="Of the work at"
        type="url"
        value={values.related_url}
        errors={errors}
        hint="The address of a work on this archive (or its id, such as 123), or of a work elsewhere (https://…). A work here is linked once its creators approve."
      />
      <TextField
        name="related_title"
        label="Its title (for a work elsewhere)"
        value={values.related_title}
        errors={errors}
        maxLength={255}
      />
      <TextField
        name="related_creator"
        label="Its creator (for a work elsewhere)"
        value={values.related_creator}
        errors={errors}
        maxLength={100}
      />
    </fieldset>
  );
}

function CreatorNames(props: { creators: RelatedLinkView['creators']; anonymous: boolean }) {
  if (props.anonymous) return <> by Anonymous</>;
  if (props.creators.length === 0) return null;
  return (
    <>
      {' by '}
      {props.creators.map((c, i) => (
        <>
          {i > 0 ? ', ' : ''}
          {c.login ? (
            <a href={`/users/${encodeURIComponent(c.login)}`}>{c.name === c.login ? c.name : `${c.name} (${c.login})`}</a>
          ) : (
            c.name
          )}
        </>
      ))}
    </>
  );
}

function WorkLink(props: { link: RelatedLinkView }) {
  const l = props.link;
  return l.external ? (
    // An address someone typed: ugc and nofollow, as AO3 marks user links; escaped by Preact like all text.
    <a href={l.href} rel="nofollow ugc noopener noreferrer">
      {l.title}
    </a>
  ) : (
    <a href={l.href}>{l.title}</a>
  );
}

/** On the child's page: what it is a translation (remix, podfic…) of. */
export function ParentsPanel(props: { links: readonly RelatedLinkView[] }) {
  return (
    <div class="related-works related-parents">
      {props.links.map((l) => (
        <p>
          This work is {RELATION_PHRASES[l.relation]} <WorkLink link={l} />
          <CreatorNames creators={l.creators} anonymous={l.anonymous} />
          {l.external ? ' (elsewhere)' : ''}.
        </p>
      ))}
    </div>
  );
}

/** On the parent's page: the works its creators approved that name it. */
export function ChildrenPanel(props: { links: readonly RelatedLinkView[] }) {
  return (
    <section class="related-works related-children" aria-labelledby="related-children-heading">
      <h2 id="related-children-heading">Works related to this one</h2>
      <ul>
        {props.links.map((l) => (
          <li>
            <WorkLink link={l} />
            <CreatorNames creators={l.creators} anonymous={l.anonymous} />, {CHILD_PHRASES[l.relation]}.
          </li>
        ))}
      </ul>
    </section>
  );
}

const STATUS_TEXT: Record<RelatedStatus, string> = {
  pending: 'waiting for your answer',
  approved: 'shown on your work',
  removed: 'removed from your work',
};

/** A creator's page of links to their works, to approve or remove. */
export function RelatedWorksPage(props: {
  ctx: PageContext;
  links: ReadonlyArray<{
    id: number;
    relation: Relation;
    status: RelatedStatus;
    child_id: number;
    child_title: string;
    parent_id: number;
    parent_title: string;
  }>;
}) {
  return (
    <Layout ctx={props.ctx} title="Works related to yours">
      <h1>Works related to yours</h1>
      {props.links.length === 0 ? (
        <p>No posted work names one of yours as its inspiration, original, remix source or podfic source.</p>
      ) : (
        <ul class="collection-queue related-queue">
          {props.links.map((l) => (
            <li id={`related_${l.id}`}>
              <a href={`/works/${l.child_id}`}>{l.child_title}</a> is {RELATION_PHRASES[l.relation]}{' '}
              <a href={`/works/${l.parent_id}`}>{l.parent_title}</a> — {STATUS_TEXT[l.status]}{' '}
              {l.status !== 'approved' ? (
                <form method="post" action={`/related_works/${l.id}/approve`} class="inline-form">
                  <CsrfField token={props.ctx.csrfToken} />
                  <button type="submit" class="button" aria-label={`Approve the link from ${l.child_title}`}>
                    Approve
                  </button>
                </form>
              ) : null}{' '}
              {l.status !== 'removed' ? (
                <form method="post" action={`/related_works/${l.id}/remove`} class="inline-form">
                  <CsrfField token={props.ctx.csrfToken} />
                  <button type="submit" class="button button-danger" aria-label={`Remove the link from ${l.child_title}`}>
                    Remove
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
