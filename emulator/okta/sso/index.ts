export { SsoRefusedError, ExpressionError, type SsoRefusalCode } from './errors';
export type { IssuedSamlResponse } from './issue';
export type { SamlAttribute } from './attributes';
export { issueSamlResponse } from './issue';
export { ssoBrowserRoutes, ssoControlRoutes, autoPostForm } from './routes';
