import { defaultLogFormat, formatPrettyLine, PrettyLogger } from '../../src/local/log-format';

describe('Function: formatPrettyLine', () => {
  it('prints time, level, message and the extra fields, leaving out what every entry carries', () => {
    const line = formatPrettyLine({
      level: 'INFO',
      message: 'converged',
      timestamp: '2026-12-01T10:11:12.345Z',
      service: 'frontline-local',
      sampling_rate: 0,
      userId: '00u1',
      actions: ['assign'],
      reason: 'user not found',
    });

    expect(line).toBe('10:11:12.345 INFO  converged userId=00u1 actions=["assign"] reason="user not found"');
  });
});

describe('Function: defaultLogFormat', () => {
  it('is pretty on a terminal and json on a pipe or file', () => {
    expect(defaultLogFormat({ isTTY: true })).toBe('pretty');
    expect(defaultLogFormat({})).toBe('json');
  });
});

describe('Class: PrettyLogger', () => {
  it('writes one readable line per entry, at the logger’s level, with persistent keys', () => {
    const lines: string[] = [];
    const logger = new PrettyLogger({ serviceName: 'frontline-local', logLevel: 'INFO' }, (line, level) =>
      lines.push(`${level}|${line}`),
    );

    logger.debug('not shown');
    logger.warn('backstop reconcile refused', { reason: 'too many removals' });

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^WARN\|\d\d:\d\d:\d\d\.\d{3} WARN {2}backstop reconcile refused reason="too many removals"$/,
    );
  });
});
