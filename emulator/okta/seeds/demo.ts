import type { SeedData, SeedUser, UserStatus } from '../types';

const pad = (prefix: string, tag: string) => `${prefix}${tag}`.padEnd(20, '0').slice(0, 20);

/** Twilio Frontline Realm SID of the demo org: `JB` + 32 hex digits. */
const REALM_SID = 'JB7f3c9a1e5d2b48c6a0e9f1d3b5c7a9e2';

/**
 * Stable ids in the demo org, for tests, docs and the local runtime. Ids keep Okta's shapes
 * (`00u…` users, `00g…` groups, `0oa…` apps, 20 characters).
 */
export const DEMO = {
  realmSid: REALM_SID,
  groupId: pad('00g', 'frontlineagents'),
  appId: pad('0oa', 'frontlinesaml'),
  /** The Frontline app's active signing key id (`credentials.signing.kid`). */
  signingKid: 'emuDemoFrontlineSigningKey-0001',
  /** Other apps and groups, for "not the Frontline app" cases. */
  otherAppId: pad('0oa', 'intranetbookmark'),
  everyoneGroupId: pad('00g', 'everyone'),
  salesGroupId: pad('00g', 'sales'),
  engineeringGroupId: pad('00g', 'engineering'),
  contractorsGroupId: pad('00g', 'contractors'),
  /** An APP_GROUP imported from a directory: memberships can't be changed through the API. */
  adGroupId: pad('00g', 'adsupport'),
  adminId: pad('00u', 'admin'),
  users: {
    /** ACTIVE, not in the group, not assigned, no userType. */
    newHire: pad('00u', 'newhire'),
    /** ACTIVE, in the group, assigned (scope USER), userType agent. The converged case. */
    agent: pad('00u', 'agent'),
    /** ACTIVE, in the group and assigned, userType agent; the demo removes them from the group. */
    leaver: pad('00u', 'leaver'),
    /** SUSPENDED, in the group, still assigned. */
    suspended: pad('00u', 'suspended'),
    /** DEPROVISIONED, still a group member (Okta keeps memberships), not assigned. */
    deprovisioned: pad('00u', 'deprovisioned'),
    /** STAGED, in the group, not assigned. */
    staged: pad('00u', 'staged'),
    /** PROVISIONED (activation pending), in the group, not assigned. */
    provisioned: pad('00u', 'provisioned'),
    /** LOCKED_OUT, in the group, assigned. */
    lockedOut: pad('00u', 'lockedout'),
    /** PASSWORD_EXPIRED, in the group, assigned. */
    passwordExpired: pad('00u', 'pwexpired'),
    /** ACTIVE, in the group, profile mastered by Active Directory: profile writes answer 403 E0000023. */
    mastered: pad('00u', 'mastered'),
    /** ACTIVE, in the group, not assigned, userType "manager" (wrong for Frontline). */
    wrongType: pad('00u', 'wrongtype'),
    /** ACTIVE, NOT in the group but assigned directly to the Frontline app (drift). */
    strayAssignee: pad('00u', 'strayassignee'),
    /** ACTIVE, in the group, assigned with a userName that isn't the email (drift). */
    oddUserName: pad('00u', 'oddusername'),
  },
} as const;

interface Person {
  id: string;
  first: string;
  last: string;
  status?: UserStatus;
  department: string;
  userType?: string;
  masteredBy?: string;
}

const people: Person[] = [
  { id: DEMO.users.newHire, first: 'Nina', last: 'Newhire', department: 'Customer Care' },
  { id: DEMO.users.agent, first: 'Alex', last: 'Agent', department: 'Customer Care', userType: 'agent' },
  { id: DEMO.users.leaver, first: 'Lee', last: 'Leaver', department: 'Customer Care', userType: 'agent' },
  {
    id: DEMO.users.suspended,
    first: 'Sam',
    last: 'Suspended',
    status: 'SUSPENDED',
    department: 'Customer Care',
    userType: 'agent',
  },
  {
    id: DEMO.users.deprovisioned,
    first: 'Dana',
    last: 'Deprovisioned',
    status: 'DEPROVISIONED',
    department: 'Customer Care',
    userType: 'agent',
  },
  { id: DEMO.users.staged, first: 'Stacy', last: 'Staged', status: 'STAGED', department: 'Customer Care' },
  {
    id: DEMO.users.provisioned,
    first: 'Pat',
    last: 'Provisioned',
    status: 'PROVISIONED',
    department: 'Customer Care',
  },
  {
    id: DEMO.users.lockedOut,
    first: 'Lou',
    last: 'Lockedout',
    status: 'LOCKED_OUT',
    department: 'Customer Care',
    userType: 'agent',
  },
  {
    id: DEMO.users.passwordExpired,
    first: 'Perry',
    last: 'Expired',
    status: 'PASSWORD_EXPIRED',
    department: 'Customer Care',
    userType: 'agent',
  },
  {
    id: DEMO.users.mastered,
    first: 'Morgan',
    last: 'Mastered',
    department: 'Customer Care',
    masteredBy: 'corp.example.com',
  },
  {
    id: DEMO.users.wrongType,
    first: 'Wes',
    last: 'Wrongtype',
    department: 'Customer Care',
    userType: 'manager',
  },
  { id: DEMO.users.strayAssignee, first: 'Stella', last: 'Stray', department: 'Sales', userType: 'agent' },
  {
    id: DEMO.users.oddUserName,
    first: 'Omar',
    last: 'Oddname',
    department: 'Customer Care',
    userType: 'agent',
  },
  { id: pad('00u', 'carla'), first: 'Carla', last: 'Care', department: 'Customer Care', userType: 'agent' },
  { id: pad('00u', 'devon'), first: 'Devon', last: 'Dev', department: 'Engineering' },
  { id: pad('00u', 'erin'), first: 'Erin', last: 'Engineer', department: 'Engineering' },
  { id: pad('00u', 'sasha'), first: 'Sasha', last: 'Sales', department: 'Sales' },
  { id: pad('00u', 'toni'), first: 'Toni', last: 'Temp', department: 'Customer Care' },
  { id: pad('00u', 'quinn'), first: 'Quinn', last: 'Quiet', department: 'Finance', status: 'SUSPENDED' },
];

const costCenters: Record<string, string> = {
  'Customer Care': 'CC-4100',
  Engineering: 'CC-2200',
  Sales: 'CC-3100',
  Finance: 'CC-1100',
};

function user(p: Person, index: number): SeedUser {
  const login = `${p.first}.${p.last}@example.com`.toLowerCase();
  return {
    id: p.id,
    status: p.status ?? 'ACTIVE',
    profile: {
      login,
      email: login,
      firstName: p.first,
      lastName: p.last,
      displayName: `${p.first} ${p.last}`,
      title: p.department === 'Customer Care' ? 'Customer Care Agent' : `${p.department} Specialist`,
      department: p.department,
      costCenter: costCenters[p.department] ?? 'CC-0000',
      employeeNumber: String(10_400 + index),
      mobilePhone: null,
      ...(p.userType ? { userType: p.userType } : {}),
    },
    ...(p.masteredBy ? { masteredBy: p.masteredBy } : {}),
    created: `2024-0${1 + (index % 9)}-1${index % 10}T09:00:00.000Z`,
  };
}

/** The Frontline SAML app exactly as the guide configures it for `realmSid`, as Okta returns it. */
export function frontlineSamlApp(opts: { id: string; realmSid: string; kid: string; label?: string }) {
  const acs = `https://iam.twilio.com/v2/saml2/authenticate/${opts.realmSid}`;
  return {
    id: opts.id,
    name: 'emulator_twiliofrontline_1',
    label: opts.label ?? 'Twilio Frontline',
    status: 'ACTIVE',
    created: '2024-01-10T12:00:00.000Z',
    lastUpdated: '2024-01-10T12:00:00.000Z',
    accessibility: { selfService: false, errorRedirectUrl: null, loginRedirectUrl: null },
    visibility: {
      autoLaunch: false,
      autoSubmitToolbar: false,
      hide: { iOS: false, web: false },
      appLinks: { emulator_twiliofrontline_1_link: true },
    },
    features: [],
    signOnMode: 'SAML_2_0',
    credentials: {
      userNameTemplate: { template: '${source.email}', type: 'BUILT_IN' },
      signing: { kid: opts.kid },
    },
    settings: {
      app: {},
      notifications: { vpn: { network: { connection: 'DISABLED' }, message: null, helpUrl: null } },
      manualProvisioning: false,
      implicitAssignment: false,
      notes: { admin: null, enduser: null },
      signOn: {
        defaultRelayState: null,
        ssoAcsUrl: acs,
        idpIssuer: 'http://www.okta.com/${org.externalKey}',
        audience: `https://iam.twilio.com/v2/saml2/metadata/${opts.realmSid}`,
        recipient: acs,
        destination: acs,
        subjectNameIdTemplate: '${user.userName}',
        subjectNameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
        responseSigned: true,
        assertionSigned: true,
        signatureAlgorithm: 'RSA_SHA256',
        digestAlgorithm: 'SHA256',
        honorForceAuthn: true,
        authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
        spIssuer: null,
        requestCompressed: false,
        allowMultipleAcsEndpoints: false,
        acsEndpoints: [],
        samlSignedRequestEnabled: false,
        attributeStatements: [
          {
            type: 'EXPRESSION',
            name: 'email',
            namespace: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
            values: ['user.email'],
          },
          {
            type: 'EXPRESSION',
            name: 'roles',
            namespace: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
            values: ['user.userType'],
          },
        ],
        inlineHooks: [],
        slo: { enabled: false },
        participateSlo: { enabled: false },
        assertionEncryption: { enabled: false },
        configuredAttributeStatements: [],
      },
    },
  };
}

const groupMembers = [
  DEMO.users.agent,
  DEMO.users.leaver,
  DEMO.users.suspended,
  DEMO.users.deprovisioned,
  DEMO.users.staged,
  DEMO.users.provisioned,
  DEMO.users.lockedOut,
  DEMO.users.passwordExpired,
  DEMO.users.mastered,
  DEMO.users.wrongType,
  DEMO.users.oddUserName,
  pad('00u', 'carla'),
];

export const DEMO_SEED: SeedData = {
  admin: {
    id: DEMO.adminId,
    profile: {
      login: 'it.admin@example.com',
      email: 'it.admin@example.com',
      firstName: 'IT',
      lastName: 'Admin',
    },
    created: '2023-11-01T08:00:00.000Z',
  },
  users: people.map(user),
  groups: [
    {
      id: DEMO.everyoneGroupId,
      name: 'Everyone',
      description: 'All users in your organization',
      type: 'BUILT_IN',
    },
    { id: DEMO.groupId, name: 'Frontline Agents', description: 'People who use Twilio Frontline' },
    { id: DEMO.salesGroupId, name: 'Sales' },
    { id: DEMO.engineeringGroupId, name: 'Engineering' },
    { id: DEMO.contractorsGroupId, name: 'Contractors', description: null },
    {
      id: DEMO.adGroupId,
      name: 'Support (AD)',
      description: 'Imported from corp.example.com',
      type: 'APP_GROUP',
    },
  ],
  memberships: {
    [DEMO.groupId]: groupMembers,
    [DEMO.salesGroupId]: [DEMO.users.strayAssignee, pad('00u', 'sasha')],
    [DEMO.engineeringGroupId]: [pad('00u', 'devon'), pad('00u', 'erin')],
    [DEMO.contractorsGroupId]: [pad('00u', 'toni')],
    [DEMO.adGroupId]: [DEMO.users.mastered],
  },
  apps: [
    frontlineSamlApp({ id: DEMO.appId, realmSid: DEMO.realmSid, kid: DEMO.signingKid }),
    {
      id: DEMO.otherAppId,
      name: 'bookmark',
      label: 'Intranet',
      status: 'ACTIVE',
      signOnMode: 'BOOKMARK',
      settings: { app: { requestIntegration: false, url: 'https://intranet.example.com' } },
    },
  ],
  appUsers: [
    ...[
      DEMO.users.agent,
      DEMO.users.leaver,
      DEMO.users.suspended,
      DEMO.users.lockedOut,
      DEMO.users.passwordExpired,
      DEMO.users.strayAssignee,
      pad('00u', 'carla'),
    ].map((userId) => ({ appId: DEMO.appId, userId })),
    { appId: DEMO.appId, userId: DEMO.users.oddUserName, userName: 'omar' },
  ],
  appGroups: [{ appId: DEMO.otherAppId, groupId: DEMO.everyoneGroupId }],
};
