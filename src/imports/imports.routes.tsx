import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { HttpError } from '../web/errors.tsx';
import { formList, toFieldErrors } from '../web/form.ts';
import { normalizeBody } from '../web/multipart.ts';
import { pageContext, requireViewer } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { setFlash } from '../web/session.ts';
import { PostActionSchema, WorkMetadataSchema } from '../works/works.schema.ts';
import { ImportError } from './imported-work.ts';
import { loadImportDraft, postImport, recognizeUpload, saveImportDraft } from './imports.service.ts';
import { ImportFormPage, ImportPreviewPage, valuesFromPreview, type ImportFormValues } from './imports.views.tsx';

/** Import from elsewhere: upload an EPUB or HTML file, check what was recognised, post it. */
export function importsRoutes(app: FastifyInstance, { db, config }: AppDeps): void {
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, config.siteName);

  app.get('/works/import', async (request, reply) => {
    requireViewer(request);
    return sendPage(reply, <ImportFormPage ctx={ctx(request, reply)} errors={{}} />);
  });

  app.post('/works/import', async (request, reply) => {
    const viewer = requireViewer(request);
    const file = normalizeBody(request.body).files.file;
    if (!file || file.bytes.length === 0) {
      return sendPage(
        reply,
        <ImportFormPage ctx={ctx(request, reply)} errors={{ file: 'Choose an .epub or .html file to import.' }} />,
        422,
      );
    }
    let preview;
    try {
      preview = await recognizeUpload(file.bytes, file.filename);
    } catch (error) {
      if (!(error instanceof ImportError)) throw error;
      return sendPage(reply, <ImportFormPage ctx={ctx(request, reply)} errors={{ file: error.message }} />, 422);
    }
    const token = await saveImportDraft(config.dataDir, viewer.id, preview);
    return sendPage(
      reply,
      <ImportPreviewPage ctx={ctx(request, reply)} preview={preview} token={token} values={valuesFromPreview(preview)} errors={{}} />,
    );
  });

  app.post('/works/import/post', async (request, reply) => {
    const viewer = requireViewer(request);
    const fields = normalizeBody(request.body).fields;
    const token = typeof fields.import_token === 'string' ? fields.import_token : '';
    const preview = await loadImportDraft(config.dataDir, viewer.id, token);
    if (!preview) throw new HttpError(404, 'This import has expired or was already posted. Upload the file again at /works/import.');
    const meta = WorkMetadataSchema.safeParse(fields);
    const action = PostActionSchema.safeParse(fields.action);
    if (!meta.success || !action.success || action.data === 'preview') {
      const values: ImportFormValues = {
        fields: Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => typeof e[1] === 'string')),
        warnings: formList(fields.warnings),
        categories: formList(fields.categories),
      };
      const errors = meta.success ? { _form: 'Use the Post or Save as draft button.' } : toFieldErrors(meta.error);
      return sendPage(
        reply,
        <ImportPreviewPage ctx={ctx(request, reply)} preview={preview} token={token} values={values} errors={errors} />,
        422,
      );
    }
    const draft = action.data === 'draft';
    const workId = await postImport(db, config.dataDir, viewer, token, preview, meta.data, draft);
    setFlash(
      request,
      reply,
      draft ? 'Imported as a draft. It is visible only to you until you post it.' : 'Work was successfully imported and posted.',
    );
    return reply.redirect(`/works/${workId}`, 303);
  });
}
