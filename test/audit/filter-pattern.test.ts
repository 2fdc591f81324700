import { matchesFilterPattern, parseFilterPattern } from './filter-pattern';

const event = {
  eventSource: 'kms.amazonaws.com',
  eventName: 'DisableKey',
  sourceIPAddress: '123.123.45.6',
  readOnly: false,
  errorCode: null,
  requestParameters: { keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', pendingWindowInDays: 20 },
  resources: [{ type: 'AWS::KMS::Key', ARN: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd' }],
  userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/Admin/alice' },
};

describe('CloudWatch Logs JSON filter pattern evaluator', () => {
  test.each([
    ['unquoted string equality', '{ $.eventName = DisableKey }', true],
    ['quoted string equality', '{ $.eventName = "DisableKey" }', true],
    ['a different value', '{ $.eventName = EnableKey }', false],
    ['case matters', '{ $.eventName = disablekey }', false],
    ['a prefix is not equality', '{ $.eventName = Disable }', false],
    ['!= on a different value', '{ $.eventName != EnableKey }', true],
    ['!= on the same value', '{ $.eventName != DisableKey }', false],
    ['trailing wildcard', '{ $.eventName = Disable* }', true],
    ['leading wildcard', '{ $.eventName = "*Key" }', true],
    ['wildcard that does not fit', '{ $.eventName = Enable* }', false],
    ['wildcard with != (docs example)', '{ $.sourceIPAddress != 123.123.* }', false],
    ['dots in a value are literal', '{ $.eventSource = kms.amazonaws.com }', true],
    ['dots are not regex wildcards', '{ $.eventSource = kmsXamazonaws.com }', false],
    ['nested field', '{ $.requestParameters.keyId = 1234abcd-* }', true],
    ['array index', '{ $.resources[0].type = "AWS::KMS::Key" }', true],
    ['array index out of range', '{ $.resources[1].type = "AWS::KMS::Key" }', false],
    ['number field, numeric value', '{ $.requestParameters.pendingWindowInDays = 20 }', true],
    ['number field, other number', '{ $.requestParameters.pendingWindowInDays = 7 }', false],
    ['boolean field as text', '{ $.readOnly = false }', true],
    ['absent field with =', '{ $.errorMessage = "*" }', false],
    ['absent field with != does not match either', '{ $.errorMessage != AccessDenied }', false],
    ['object field does not match', '{ $.requestParameters = "*" }', false],
    ['&& both true', '{ ($.eventSource = kms.amazonaws.com) && ($.eventName = DisableKey) }', true],
    ['&& one false', '{ ($.eventSource = s3.amazonaws.com) && ($.eventName = DisableKey) }', false],
    ['|| one true', '{ ($.eventName = ScheduleKeyDeletion) || ($.eventName = DisableKey) }', true],
    ['|| both false', '{ ($.eventName = ScheduleKeyDeletion) || ($.eventName = PutKeyPolicy) }', false],
    ['&& binds tighter than ||', '{ $.eventName = Nope && $.eventName = Nope2 || $.eventName = DisableKey }', true],
    ['parentheses override precedence', '{ $.eventName = Nope && ($.eventName = Nope2 || $.eventName = DisableKey) }', false],
    ['nested parentheses', '{ ((($.eventName = DisableKey))) }', true],
  ])('%s', (_name, pattern, expected) => {
    expect(matchesFilterPattern(pattern, event)).toBe(expected);
  });

  test('accepts the event as JSON text', () => {
    expect(matchesFilterPattern('{ $.eventName = DisableKey }', JSON.stringify(event))).toBe(true);
  });

  test('a quoted value keeps spaces, parentheses and escaped quotes', () => {
    expect(matchesFilterPattern('{ $.m = "a (b) \\"c\\"" }', { m: 'a (b) "c"' })).toBe(true);
  });

  test.each([
    ['no braces', '$.eventName = DisableKey'],
    ['unbalanced parenthesis', '{ ($.eventName = DisableKey }'],
    ['missing value', '{ $.eventName = }'],
    ['missing operator', '{ $.eventName DisableKey }'],
    ['dangling &&', '{ $.eventName = DisableKey && }'],
    ['unsupported IS NULL', '{ $.errorCode IS NULL }'],
    ['unsupported numeric comparison', '{ $.x > 1 }'],
    ['unterminated string', '{ $.eventName = "DisableKey }'],
    ['empty pattern', '{ }'],
  ])('rejects %s', (_name, pattern) => {
    expect(() => parseFilterPattern(pattern)).toThrow(/Filter pattern|Not a JSON filter pattern|Empty filter pattern/);
  });
});
