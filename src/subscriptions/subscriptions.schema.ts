import { z } from 'zod';

export const SUBSCRIPTION_KINDS = ['work', 'creator', 'series'] as const;
export type SubscriptionKind = (typeof SUBSCRIPTION_KINDS)[number];

/** What a subscription is to: a work (new chapters), a creator (new works), a series (new works in it). */
export interface SubscriptionTarget {
  kind: SubscriptionKind;
  id: number;
}

export const SubscribeSchema = z.object({
  kind: z.enum(SUBSCRIPTION_KINDS, { error: 'Choose what to subscribe to: a work, a creator or a series.' }),
  id: z.coerce.number({ error: 'Say which one to subscribe to.' }).int().positive().max(2_147_483_647),
  return_to: z.string().max(500).optional(),
});
export type SubscribeInput = z.infer<typeof SubscribeSchema>;

export const EMAIL_MODES = ['each', 'digest', 'off'] as const;

export const PreferencesSchema = z.object({
  email_mode: z.enum(EMAIL_MODES, { error: 'Choose one email of each update, one daily digest, or no email.' }),
});
export type PreferencesInput = z.infer<typeof PreferencesSchema>;
