import { describe, expect, it } from 'vitest';
import { LOGIN_LINK_MS, SESSION_MS, WebAccess } from '../../../src/class/web-access.js';

describe('web view sign-in', () => {
  it('Given a login code, when it is redeemed twice, then only the first gives a session', () => {
    const access = new WebAccess('kubelab_class_7420');
    const code = access.newLoginCode();
    const first = access.redeem(code);
    expect(first).toBeDefined();
    expect(access.redeem(code)).toBeUndefined();
    expect(access.session(`other=1; kubelab_class_7420=${first!.sessionId}`)).toEqual(first!.session);
  });

  it('Given a login code older than its expiry, when redeemed, then it is refused', () => {
    let now = 0;
    const access = new WebAccess('c', () => now);
    const code = access.newLoginCode();
    now = LOGIN_LINK_MS + 1;
    expect(access.redeem(code)).toBeUndefined();
  });

  it('Given a session, when it has expired or the cookie is wrong, then it is not one', () => {
    let now = 0;
    const access = new WebAccess('c', () => now);
    const { sessionId } = access.redeem(access.newLoginCode())!;
    expect(access.session(undefined)).toBeUndefined();
    expect(access.session('c=forged-value')).toBeUndefined();
    expect(access.session(`d=${sessionId}`)).toBeUndefined();
    expect(access.session(`c=${sessionId}`)).toBeDefined();
    now = SESSION_MS + 1;
    expect(access.session(`c=${sessionId}`)).toBeUndefined();
  });

  it('Given a session, when its cookie is written, then the browser keeps it from scripts and from other sites', () => {
    const access = new WebAccess('kubelab_class_7420');
    const cookie = access.setCookie('abc');
    expect(cookie).toMatch(/^kubelab_class_7420=abc; /);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
  });
});

describe('tokens', () => {
  it('Given many new tokens, when each is pasted after --token, then none starts with "-" (which would read as an option)', async () => {
    const { newToken } = await import('../../../src/class/secrets.js');
    const tokens = Array.from({ length: 2000 }, newToken);
    expect(tokens.filter((t) => t.startsWith('-'))).toEqual([]);
    expect(new Set(tokens.map((t) => t.length))).toEqual(new Set([43]));
  });
});
