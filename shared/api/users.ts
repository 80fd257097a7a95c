/**
 * Shapes of the console users endpoints (`/v1/users…`): a user is listed without any secret; a
 * password is in the answer that sets it (creation, reset) and nowhere else.
 */
import { z } from "zod";

export const userRoles = ["admin", "viewer"] as const;

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: z.enum(userRoles),
  createdAt: z.number().int(),
  /** Epoch ms since when the user cannot sign in (their sessions stop at once); null while enabled. */
  disabledAt: z.number().int().nullable(),
});
export type ConsoleUser = z.infer<typeof userSchema>;

/** A password a person chooses: long enough to resist guessing at 5 attempts per 15 minutes. */
export const MIN_PASSWORD_LENGTH = 12;
const password = z.string().min(MIN_PASSWORD_LENGTH).max(1024);

export const createUserSchema = z.strictObject({
  email: z.email().max(254),
  role: z.enum(userRoles),
  /** Left out, Baton generates one and shows it in the answer, once. */
  password: password.optional(),
});
export type CreateUserRequest = z.input<typeof createUserSchema>;

/** Change a role or disable / re-enable; the last enabled admin can be neither demoted nor disabled. */
export const updateUserSchema = z
  .strictObject({ role: z.enum(userRoles).optional(), disabled: z.boolean().optional() })
  .refine((body) => body.role !== undefined || body.disabled !== undefined, { message: "send role, disabled or both" });
export type UpdateUserRequest = z.input<typeof updateUserSchema>;

export const resetPasswordSchema = z.strictObject({ password: password.optional() });
export type ResetPasswordRequest = z.input<typeof resetPasswordSchema>;

/** A user with the password just set: shown this once, stored only as a hash. */
export const userWithPasswordSchema = z.object({ user: userSchema, password: z.string() });
export type UserWithPassword = z.infer<typeof userWithPasswordSchema>;
