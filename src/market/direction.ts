/** What a KIS sign code means for display: the direction of the price against the previous close. */

/** A KIS sign code (`PRDY_VRSS_SIGN`): 1 limit up, 2 up, 3 unchanged, 4 limit down, 5 down. */
export type PriceSign = '1' | '2' | '3' | '4' | '5';

/** Direction of a price: up, down or unchanged. */
export type Direction = 'up' | 'down' | 'flat';

/** How price changes are coloured: Korean (up red, down blue) or western (up green, down red). */
export type ColorConvention = 'korean' | 'western';

/** Sign codes 1/2 (limit up, up) are up, 4/5 (limit down, down) are down, 3 is unchanged. */
export function directionOfSign(sign: PriceSign): Direction {
  switch (sign) {
    case '1':
    case '2':
      return 'up';
    case '4':
    case '5':
      return 'down';
    case '3':
      return 'flat';
    default: {
      const unreachable: never = sign;
      return unreachable;
    }
  }
}
