/** Snapshots of a live host: collecting them (through an injected runner), their file format, and reading them back. */
export { SNAPSHOT_FORMAT, writeSnapshot, type DockerSection, type IpSections, type Missing, type Snapshot } from "./format.js";
export { collectSnapshot, type CommandResult, type CommandRunner } from "./collect.js";
export { parseSnapshot, type EmbeddedText, type LoadedSnapshot, type TextSection } from "./load.js";
export { ipsetKeyOf, ipsetLookup, parseIpsetSave, type Ipset, type IpsetAnswer, type IpsetContents, type IpsetKeyPart, type IpsetMember, type MemberPart } from "../host/ipset.js";
