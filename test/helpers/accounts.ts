// Two accounts for isolation tests: the default key (test/test, ACCOUNT) and a second key in
// OTHER_ACCOUNT. TWO_ACCOUNT_KEYS is the server's OSPREY_ACCESS_KEYS for both.
export const ACCOUNT = '000000000000';
export const OTHER_ACCOUNT = '111111111111';
export const OTHER = { accessKeyId: 'OTHERACCOUNT', secretAccessKey: 'other' };
export const TWO_ACCOUNT_KEYS = JSON.stringify([
  { accessKeyId: 'test', secretAccessKey: 'test', accountId: ACCOUNT },
  { ...OTHER, accountId: OTHER_ACCOUNT },
]);
