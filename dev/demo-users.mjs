/**
 * The documented demo users of the dev IdP. Passwords are public on purpose: this IdP exists to try the
 * library on a laptop, never to protect anything.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const DEMO_USERS = Object.freeze([
  {
    sub: 'ada',
    password: 'ada-password',
    claims: {
      name: 'Ada Lovelace',
      given_name: 'Ada',
      family_name: 'Lovelace',
      preferred_username: 'ada',
      email: 'ada@example.com',
      email_verified: true,
    },
  },
  {
    sub: 'alan',
    password: 'alan-password',
    claims: {
      name: 'Alan Turing',
      given_name: 'Alan',
      family_name: 'Turing',
      preferred_username: 'alan',
      email: 'alan@example.com',
      email_verified: true,
    },
  },
]);

export function findDemoUser(sub) {
  return DEMO_USERS.find((user) => user.sub === sub);
}

/**
 * The user whose login and password match, or undefined. Compares digests in constant time so the demo
 * does not teach the habit of comparing secrets with `===`.
 */
export function authenticateDemoUser(login, password) {
  const user = findDemoUser(String(login ?? '').trim());
  const digest = (value) =>
    createHash('sha256')
      .update(String(value ?? ''))
      .digest();
  const matches = timingSafeEqual(digest(user?.password ?? ''), digest(password));
  return user && matches ? user : undefined;
}
