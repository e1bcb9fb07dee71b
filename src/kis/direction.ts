/** What a KIS sign code means for display: the direction of the price against the previous close. */
import type { Sign } from './types';

/** Direction of a price: up, down or unchanged. */
export type Direction = 'up' | 'down' | 'flat';

/** Sign codes 1/2 (limit up, up) are up, 4/5 (limit down, down) are down, 3 is unchanged. */
export function directionOfSign(sign: Sign): Direction {
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
