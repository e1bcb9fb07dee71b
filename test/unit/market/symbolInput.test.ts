import assert from 'node:assert/strict';
import {
  displayName,
  isSymbolCode,
  matchSymbols,
  parseSymbolInput,
  parseSymbolList,
} from '../../../src/market/symbolInput';

describe('symbolInput', () => {
  it('accepts exactly six digits as a code', () => {
    assert.equal(isSymbolCode('005930'), true);
    assert.equal(isSymbolCode('05930'), false);
    assert.equal(isSymbolCode('0059300'), false);
    assert.equal(isSymbolCode('00593a'), false);
  });

  it('tells catalogue codes, unknown codes and invalid input apart', () => {
    const known = parseSymbolInput(' 005930 ');
    assert.equal(known.kind, 'catalogue');
    assert.equal(known.kind === 'catalogue' && known.entry.nameKo, '삼성전자');
    assert.deepEqual(parseSymbolInput('123456'), { kind: 'code', code: '123456' });
    assert.deepEqual(parseSymbolInput('  '), { kind: 'invalid', reason: 'empty', text: '  ' });
    assert.deepEqual(parseSymbolInput('Samsung'), { kind: 'invalid', reason: 'notACode', text: 'Samsung' });
  });

  it('matches the catalogue by code, Korean name and English name', () => {
    assert.equal(matchSymbols('005930')[0].code, '005930');
    assert.ok(matchSymbols('삼성').some((e) => e.code === '005930'));
    assert.ok(matchSymbols('hynix').some((e) => e.code === '000660'));
    assert.ok(
      matchSymbols('SAMSUNG ELEC').some((e) => e.code === '005930'),
      'case-insensitive',
    );
    assert.deepEqual(
      matchSymbols('삼성 전자').map((e) => e.code),
      ['005930'],
      'spaces inside the query are ignored',
    );
    assert.deepEqual(matchSymbols('zzzz-no-such'), []);
  });

  it('normalises command arguments into codes and rejects the rest', () => {
    assert.deepEqual(parseSymbolList('005930'), { codes: ['005930'], rejected: [] });
    assert.deepEqual(parseSymbolList('005930, 000660 005930'), { codes: ['005930', '000660'], rejected: [] });
    assert.deepEqual(parseSymbolList(['005930', 'abc', 42]), { codes: ['005930'], rejected: ['abc', '42'] });
    assert.deepEqual(parseSymbolList(undefined), { codes: [], rejected: ['undefined'] });
  });

  it('names a symbol in the UI language', () => {
    assert.equal(displayName('005930', 'ko'), '삼성전자');
    assert.equal(displayName('005930', 'en'), 'Samsung Electronics');
    assert.equal(displayName('123456', 'ko'), '123456');
  });
});
