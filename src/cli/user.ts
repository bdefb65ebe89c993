import { CreateUserSchema } from '../accounts/accounts.schema.ts';
import { AccountConflictError, createAccount } from '../accounts/accounts.service.ts';
import { loadConfig } from '../config.ts';
import { openConfiguredDatabase } from '../main.ts';
import { parseCliArgs, printProgress } from './args.ts';

const HELP = `Usage: fanfold user create --login LOGIN --email EMAIL --password PASSWORD [--admin] [--json]`;

/** fanfold user create: makes an account (and its default pseud), optionally an admin. */
export async function run(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (action !== 'create') {
    console.error(action === '--help' ? HELP : `Unknown action '${action ?? ''}'.\n${HELP}`);
    return action === '--help' ? 0 : 2;
  }
  const { values } = parseCliArgs(rest, {
    login: { type: 'string' },
    email: { type: 'string' },
    password: { type: 'string' },
    admin: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const parsed = CreateUserSchema.safeParse({ login: values.login, email: values.email, password: values.password, isAdmin: values.admin });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`--${String(issue.path[0] ?? 'input')}: ${issue.message}`);
    return 2;
  }
  const handle = await openConfiguredDatabase(loadConfig(), { progress: printProgress });
  try {
    const viewer = await createAccount(handle.db, parsed.data);
    if (values.json) console.log(JSON.stringify({ id: viewer.id, login: viewer.login, admin: viewer.isAdmin }));
    else console.log(`Created ${viewer.isAdmin ? 'admin ' : ''}account ${viewer.login} (id ${viewer.id}).`);
    return 0;
  } catch (error) {
    if (error instanceof AccountConflictError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await handle.close();
  }
}
