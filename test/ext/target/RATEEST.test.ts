import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms and refusals checked with ip6tables-restore / ip6tables-save 1.8.9 (nf_tables) in a namespace.
ruleCases(
  "-j RATEEST",
  [
    ["-j RATEEST --rateest-name RE1 --rateest-interval 250.0ms --rateest-ewmalog 500.0ms", "="],
    // the interval rounds up to 250 ms * 2^k, the averaging time to interval * 2^e
    ["-j RATEEST --rateest-name RE3 --rateest-interval 3000ms --rateest-ewmalog 100SEC", "-j RATEEST --rateest-name RE3 --rateest-interval 4.0s --rateest-ewmalog 128.0s"],
    ["-j RATEEST --rateest-name RE1 --rateest-interval 1.5E2MS --rateest-ewmalog 2s", "-j RATEEST --rateest-name RE1 --rateest-interval 250.0ms --rateest-ewmalog 2.0s"],
    // a bare number is microseconds; the averaging time is chosen for 1 us but printed for 250 ms, wrapping past 2^32 us
    ["-j RATEEST --rateest-name RE2 --rateest-interval 1 --rateest-ewmalog 10s", "-j RATEEST --rateest-name RE2 --rateest-interval 250.0ms --rateest-ewmalog 1208.0s"],
    ["-j RATEEST --rateest-name RE5 --rateest-interval 8s --rateest-ewmalog 3000000s", "-j RATEEST --rateest-name RE5 --rateest-interval 8.0s --rateest-ewmalog 2048.0s"],
    ["-j RATEEST --rateest-name abcdefghijklmnopqrstuvwxyz --rateest-interval 1s --rateest-ewmalog 2s", "-j RATEEST --rateest-name abcdefghijklmno --rateest-interval 1.0s --rateest-ewmalog 2.0s"],
    ["-j RATEEST --rateest-name RE1 --rateest-interval 250ms", { error: "missing-option" }],
    ["-j RATEEST --rateest-interval 250ms --rateest-ewmalog 1s", { error: "missing-option" }],
    ["-j RATEEST --rateest-name RE1 --rateest-interval 9s --rateest-ewmalog 100s", { error: "bad-value" }],
    ["-j RATEEST --rateest-name RE1 --rateest-interval 8s --rateest-ewmalog 1s", { error: "bad-value" }],
    ["-j RATEEST --rateest-name RE1 --rateest-interval 250min --rateest-ewmalog 1s", { error: "bad-value" }],
    ["-j RATEEST --rateest-name RE1 --rateest-interval 0 --rateest-ewmalog 1s", { error: "bad-value" }],
    ["-j RATEEST --rateest-name RE1 --rateest-interval 1us --rateest-ewmalog 100000s", { error: "bad-value" }],
  ],
  { family: "ipv6" },
);
ruleCases("-j RATEEST (IPv4)", [["-j RATEEST --rateest-name RE1 --rateest-interval 1s --rateest-ewmalog 2s", "-j RATEEST --rateest-name RE1 --rateest-interval 1.0s --rateest-ewmalog 2.0s"]]);
