import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms and refusals checked with iptables-restore / iptables-save 1.8.9 (nf_tables) in a namespace.
// iptables-save 1.8.9 prints the default stop date (2038-01-19T03:14:07) too.
const STOP = "--datestop 2038-01-19T03:14:07";
ruleCases("-m time", [
  ["-m time --timestart 1:2", `-m time --timestart 01:02:00 --timestop 23:59:59 ${STOP}`],
  ["-m time --timestart :30 --timestop 1:", `-m time --timestart 00:30:00 --timestop 01:00:00 ${STOP}`],
  ["-m time --weekdays Monday,Tu,7,3", `-m time --weekdays Mon,Tue,Wed,Sun ${STOP}`],
  ["-m time ! --weekdays Mon", `-m time --weekdays Tue,Wed,Thu,Fri,Sat,Sun ${STOP}`],
  ["-m time ! --monthdays 1,31 --utc", `-m time --monthdays 2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30 ${STOP}`],
  ["-m time --monthdays 123,07", `-m time --monthdays 7,12 ${STOP}`],
  ["-m time --datestart 2001 --datestop 2038-12-31T23:59:59", "-m time --datestart 2001-01-01T00:00:00 --datestop 2038-12-31T23:59:59"],
  ["-m time --datestart 1970-01-01T00:00:00 --datestop 2038-01-19T03:14:07", `-m time ${STOP}`],
  ["-m time --datestart 2001-00-00 --kerneltz", `-m time --datestart 2000-11-30T00:00:00 ${STOP} --kerneltz`],
  ["-m time --kerneltz --weekdays 8,1", `-m time --weekdays Mon ${STOP} --kerneltz`],
  ["-m time --timestart 10:00 --timestop 10:00 --contiguous", `-m time --timestart 10:00:00 --timestop 10:00:00 ${STOP} --contiguous`],
  ["-m time --timestart 22:00 --timestop 02:00 --contiguous", `-m time --timestart 22:00:00 --timestop 02:00:00 ${STOP} --contiguous`],
  ["-m time --datestop 2038-01-19T03:14:08", "-m time --datestop 2038-01-19T03:14:08"],
  ["-m time --timestart 01:02:03 --timestop 04:05:06 --monthdays 1,2,3,4,5 --weekdays Mon,Fri,Sun --datestart 2001-02-03T04:05:06 --datestop 2012-09-08T09:06:05 --kerneltz", "="],
  // A stop date of 0 is the one iptables-save 1.8.9 leaves out; --localtz is the old --kerneltz.
  ["-m time --localtz --datestop 1970-01-01", "-m time --kerneltz"],
  // Day 0 of the month sets a bit no day uses, and a negated full week leaves none: iptables-save prints empty lists.
  ["-m time --monthdays 0", `-m time --monthdays  ${STOP}`],
  ["-m time ! --weekdays 1,2,3,4,5,6,7", `-m time --weekdays  ${STOP}`],
  ["-m time --timestart 24:00", { error: "bad-value" }],
  ["-m time --timestart 1", { error: "bad-value" }],
  ["-m time --timestart 1:60", { error: "bad-value" }],
  ["-m time --timestart 1:2:3:4", { error: "bad-value" }],
  ["-m time --timestop 4:05:06 --contiguous", { error: "conflicting-options" }],
  ["-m time --weekdays 0", { error: "bad-value" }],
  ["-m time --weekdays Mo,X", { error: "bad-value" }],
  ["-m time --weekdays 1,,2", { error: "bad-value" }],
  ["-m time --monthdays 32", { error: "bad-value" }],
  ["-m time --monthdays 1x", { error: "bad-value" }],
  ["-m time --datestart 1969", { error: "bad-value" }],
  ["-m time --datestart 2039", { error: "bad-value" }],
  ["-m time --datestart 2001-13", { error: "bad-value" }],
  ["-m time --datestart 1970-00", { error: "bad-value" }],
  ["-m time --datestart 2001-01-01T24", { error: "bad-value" }],
  ["-m time --utc --kerneltz", { error: "conflicting-options" }],
  ["-m time --kerneltz --utc", { error: "conflicting-options" }],
]);
