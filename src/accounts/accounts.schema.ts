import { z } from 'zod';

export const LOGIN_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_]{2,39}$/;

const login = z
  .string({ error: 'Enter a user name.' })
  .trim()
  .min(1, 'Enter a user name.')
  .regex(LOGIN_PATTERN, 'User names are 3 to 40 characters: letters, digits and underscores, starting with a letter or digit.');

const email = z
  .string({ error: 'Enter an email address.' })
  .trim()
  .min(1, 'Enter an email address.')
  .max(254, 'Email addresses are at most 254 characters.')
  .email('Enter an email address like name@example.org.');

export const password = z
  .string({ error: 'Enter a password.' })
  .min(8, 'Passwords need at least 8 characters.')
  .max(200, 'Passwords are at most 200 characters.')
  .refine((p) => new Set(p).size >= 4, 'That password is too easy to guess: use more different characters.');

export const SignUpSchema = z
  .object({
    login,
    email,
    password,
    password_confirmation: z.string().optional(),
  })
  .refine((v) => v.password_confirmation === undefined || v.password === v.password_confirmation, {
    message: 'The two passwords do not match.',
    path: ['password_confirmation'],
  })
  .refine((v) => v.password.toLowerCase() !== v.login.toLowerCase(), {
    message: 'Your password cannot be your user name.',
    path: ['password'],
  });
export type SignUpInput = z.infer<typeof SignUpSchema>;

export const LogInSchema = z.object({
  login: z.string({ error: 'Enter your user name or email.' }).trim().min(1, 'Enter your user name or email.').max(254),
  password: z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.').max(200),
});
export type LogInInput = z.infer<typeof LogInSchema>;

export const ChangePasswordSchema = z
  .object({
    current_password: z.string({ error: 'Enter your current password.' }).min(1, 'Enter your current password.'),
    password,
    password_confirmation: z.string({ error: 'Repeat the new password.' }),
  })
  .refine((v) => v.password === v.password_confirmation, {
    message: 'The two new passwords do not match.',
    path: ['password_confirmation'],
  });
export type ChangePasswordInput = z.infer<typeof ChangePasswordSchema>;

export const CreateUserSchema = z.object({ login, email, password, isAdmin: z.boolean().default(false) });
export type CreateUserInput = z.input<typeof CreateUserSchema>;

export const PseudSchema = z.object({
  name: z
    .string({ error: 'Give the pseud a name.' })
    .transform((v) => v.replace(/\s+/g, ' ').trim())
    .pipe(
      z
        .string()
        .min(1, 'Give the pseud a name.')
        .max(40, 'Pseuds are at most 40 characters.')
        .regex(
          /^[\p{L}\p{N}][\p{L}\p{N} _.-]*$/u,
          'Pseuds use letters, digits, spaces, dots, dashes and underscores, starting with a letter or digit.',
        ),
    ),
});
export type PseudInput = z.infer<typeof PseudSchema>;
