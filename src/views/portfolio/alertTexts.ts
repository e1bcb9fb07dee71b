/**
 * What the user reads about how an alert behaves: when a fired rule fires again (the re-arm band and the
 * cooldown, from the settings), once-only rules, rules turned off. Pure (the translation function is
 * passed in), so the words are unit-tested without VS Code; the add-alert flow, the Alerts view and the
 * notification use the same words, so what they say is what the engine does (src/worker/alerts.ts).
 */
import type { Translate } from '../../common/translate';
import { formatPrice } from '../../market/format';
import { formatPercent } from '../../market/portfolio';
import { isEventKind, rearmLevel, type AlertKind } from '../../market/alertRules';
import type { AlertRule } from '../../shared/snapshot';

/** The band and cooldown as the settings state them. */
export interface AlertQuietSettings {
  rearmPercent: number;
  cooldownSeconds: number;
}

/** A cooldown in words: "5 min", "90 s", "1 h 30 min". */
export function cooldownWords(seconds: number, t: Translate): string {
  if (seconds < 60 || seconds % 60 !== 0) return t('{0} s', String(seconds));
  const minutes = seconds / 60;
  if (minutes < 60) return t('{0} min', String(minutes));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? t('{0} h', String(hours)) : t('{0} h {1} min', String(hours), String(rest));
}

/** The level a fired rule must go back past, in the rule's unit: "199,000", "+2.50%", "149.25 %". */
export function rearmWords(kind: AlertKind, threshold: number, rearmPercent: number): string {
  const level = rearmLevel(kind, threshold, rearmPercent);
  switch (kind) {
    case 'rateAbove':
    case 'rateBelow':
      return formatPercent(level);
    case 'volumeRatioAbove':
      return `${formatPrice(level, Number.isInteger(level) ? 0 : 2)} %`;
    default:
      return formatPrice(level, Number.isInteger(level) ? 0 : 2);
  }
}

/**
 * When a rule that fired fires again: "Fires again only after going back below 199,000, at most once every
 * 5 min." A once-only rule: "Fires once, then turns itself off."
 */
export function repeatWords(
  rule: Pick<AlertRule, 'kind' | 'threshold' | 'once'>,
  quiet: AlertQuietSettings,
  t: Translate,
): string {
  if (rule.once === true) return t('Fires once, then turns itself off.');
  const cooldown = quiet.cooldownSeconds > 0 ? cooldownWords(quiet.cooldownSeconds, t) : undefined;
  if (isEventKind(rule.kind))
    return cooldown === undefined
      ? t('Fires at every VI of this stock.')
      : t('Fires at every VI of this stock, at most once every {0}.', cooldown);
  const level = rearmWords(rule.kind, rule.threshold, quiet.rearmPercent);
  const below = rule.kind !== 'priceBelow' && rule.kind !== 'rateBelow';
  if (cooldown === undefined)
    return below
      ? t('Fires again only after going back below {0}.', level)
      : t('Fires again only after going back above {0}.', level);
  return below
    ? t('Fires again only after going back below {0}, at most once every {1}.', level, cooldown)
    : t('Fires again only after going back above {0}, at most once every {1}.', level, cooldown);
}

/** The row of a rule in the Alerts view: its description suffix and whether it is off. */
export function ruleStatusWords(rule: Pick<AlertRule, 'once' | 'disabled'>, t: Translate): string | undefined {
  if (rule.disabled === true) return t('off (fired once)');
  if (rule.once === true) return t('once only');
  return undefined;
}
