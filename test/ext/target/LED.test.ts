import { ruleCases } from "../../helpers/rule-cases.js";

// From libxt_LED's save (LED_save); the kernel's xt_LED is not built here to check against.
ruleCases("-j LED", [
  ['-j LED --led-trigger-id "foo"', "="],
  ["-j LED --led-trigger-id foo --led-delay 42 --led-always-blink", '-j LED --led-trigger-id "foo" --led-delay 42 --led-always-blink'],
  ["-j LED --led-trigger-id foo --led-delay 0", '-j LED --led-trigger-id "foo"'],
  // LED_save prints the all-ones delay of "inf" with %d
  ["-j LED --led-trigger-id foo --led-delay infinite", '-j LED --led-trigger-id "foo" --led-delay -1'],
  ['-j LED --led-trigger-id "a \\"b\\""', '-j LED --led-trigger-id "a \\"b\\""'],
  ["-j LED", { error: "missing-option" }],
  ["-j LED --led-trigger-id 01234567890123456", { error: "bad-value" }],
  ["-j LED --led-trigger-id foo --led-delay soon", { error: "bad-value" }],
]);
