import * as assert from 'node:assert/strict';
import { CATALOGUE, choseongOf, createSymbolSearch, isChoseongQuery, type Searchable } from '../../../src/market';

const krx: Searchable[] = CATALOGUE.map((c) => ({ code: c.code, ticker: c.code, nameKo: c.nameKo, nameEn: c.nameEn }));
const us: Searchable[] = [
  { code: 'DNASAAPL', ticker: 'AAPL', nameKo: '애플', nameEn: 'Apple Inc' },
  { code: 'DNASNVDA', ticker: 'NVDA', nameKo: '엔비디아', nameEn: 'NVIDIA Corp' },
  { code: 'DNYSKO', ticker: 'KO', nameKo: '코카콜라', nameEn: 'Coca-Cola Co' },
];
const search = createSymbolSearch([...krx, ...us]);
const codes = (query: string, limit?: number): string[] => search.search(query, limit).map((e) => e.code);

describe('symbol search', () => {
  it('turns Hangul syllables into their initial consonants and recognises a 초성 query', () => {
    assert.equal(choseongOf('삼성전자'), 'ㅅㅅㅈㅈ');
    assert.equal(choseongOf('SK하이닉스'), 'SKㅎㅇㄴㅅ');
    assert.equal(choseongOf('까치'), 'ㄲㅊ');
    assert.equal(isChoseongQuery('ㅅㅅㅈㅈ'), true);
    assert.equal(isChoseongQuery('ㅅㅅ전자'), false);
    assert.equal(isChoseongQuery(''), false);
  });

  it('finds 삼성전자 first by "ㅅㅅㅈㅈ", and every 삼성 company by "ㅅㅅ"', () => {
    assert.equal(codes('ㅅㅅㅈㅈ')[0], '005930');
    const samsung = codes('ㅅㅅ');
    for (const code of ['005930', '207940', '006400', '028260', '032830', '009150', '018260'])
      assert.ok(samsung.includes(code), code);
    assert.ok(codes('ㅈㅈ').includes('005930'), '초성 anywhere in the name');
  });

  it('finds by exact code first, then code prefix, Korean name, English name (any case, spaces ignored)', () => {
    assert.deepEqual(codes('005930'), ['005930']);
    assert.equal(codes('0059')[0], '005930');
    assert.equal(codes('삼성전자')[0], '005930');
    assert.equal(codes('삼성 전자')[0], '005930');
    assert.equal(codes('samsung elec')[0], '005930');
    assert.ok(codes('하이닉스').includes('000660'));
  });

  it('finds US stocks by ticker, English name ("apple") and Korean name', () => {
    assert.equal(codes('aapl')[0], 'DNASAAPL');
    assert.equal(codes('apple')[0], 'DNASAAPL');
    assert.equal(codes('애플')[0], 'DNASAAPL');
    assert.equal(codes('KO')[0], 'DNYSKO', 'the exact ticker beats names that start with "ko"');
    assert.equal(codes('ㅇㅂㄷㅇ')[0], 'DNASNVDA');
  });

  it('returns the first listings for an empty query, honours the limit, and nothing for no match', () => {
    assert.equal(search.size, krx.length + us.length);
    assert.deepEqual(codes('', 2), ['005930', '000660']);
    assert.equal(codes('삼성', 3).length, 3);
    assert.deepEqual(codes('zzzz-none'), []);
  });
});
