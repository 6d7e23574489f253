import type { Clock } from "../../ports";
import type { Tool } from "../tool";
import { ToolError } from "../tool-error";

const DEFAULT_FORMAT = "%Y-%m-%d %H:%M:%S %Z";
const weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
  zoneName: string;
  /** `+0800` */
  offset: string;
}

function zonedParts(epochMs: number, timeZone: string): ZonedParts {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      weekday: "long",
      timeZoneName: "short",
    });
  } catch {
    throw new ToolError("tool_parameter_invalid", `Unknown timezone: ${timeZone}`);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(epochMs)).map((part) => [part.type, part.value]));
  const offsetName =
    new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" }).formatToParts(new Date(epochMs)).find((part) => part.type === "timeZoneName")?.value ?? "GMT";
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(offsetName);
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: weekdays.indexOf(parts.weekday ?? ""),
    zoneName: timeZone === "UTC" ? "UTC" : (parts.timeZoneName ?? timeZone),
    offset: match ? `${match[1]}${match[2]}${match[3]}` : "+0000",
  };
}

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

function dayOfYear(parts: ZonedParts): number {
  return Math.round((Date.UTC(parts.year, parts.month - 1, parts.day) - Date.UTC(parts.year, 0, 1)) / 86_400_000) + 1;
}

/**
 * Python's `strftime` directives over a time in a time zone (Dify's `current_time` takes them):
 * `%Y %y %m %d %H %I %M %S %p %A %a %B %b %j %w %Z %z %F %T %%`; unknown directives stay as written.
 *
 * @example
 * strftime(Date.UTC(2026, 0, 2, 3, 4, 5), "UTC", "%Y-%m-%d %H:%M:%S") // "2026-01-02 03:04:05"
 */
export function strftime(epochMs: number, timeZone: string, format: string): string {
  const parts = zonedParts(epochMs, timeZone);
  const hour12 = parts.hour % 12 === 0 ? 12 : parts.hour % 12;
  const directives: Record<string, string> = {
    Y: String(parts.year),
    y: pad(parts.year % 100),
    m: pad(parts.month),
    d: pad(parts.day),
    H: pad(parts.hour),
    I: pad(hour12),
    M: pad(parts.minute),
    S: pad(parts.second),
    p: parts.hour < 12 ? "AM" : "PM",
    A: weekdays[parts.weekday] ?? "",
    a: (weekdays[parts.weekday] ?? "").slice(0, 3),
    B: months[parts.month - 1] ?? "",
    b: (months[parts.month - 1] ?? "").slice(0, 3),
    j: pad(dayOfYear(parts), 3),
    w: String(parts.weekday),
    Z: parts.zoneName,
    z: parts.offset,
    F: `${parts.year}-${pad(parts.month)}-${pad(parts.day)}`,
    T: `${pad(parts.hour)}:${pad(parts.minute)}:${pad(parts.second)}`,
    "%": "%",
  };
  return format.replace(/%([A-Za-z%])/g, (whole, directive: string) => directives[directive] ?? whole);
}

/** Dify's built-in `time` / `current_time`: the current time in a time zone, formatted. */
export function currentTimeTool(clock: Clock): Tool {
  return {
    name: "current_time",
    label: "Current Time",
    description: "Get the current date and time, in a time zone (IANA name such as UTC or Europe/Paris), formatted with strftime directives.",
    parameters: {
      type: "object",
      properties: {
        timezone: { type: "string", description: "IANA time zone, e.g. UTC, Asia/Shanghai, America/New_York", default: "UTC" },
        format: { type: "string", description: "strftime format, e.g. %Y-%m-%d %H:%M:%S %Z", default: DEFAULT_FORMAT },
      },
    },
    async invoke(args) {
      const timezone = String(args.timezone || "UTC");
      const format = String(args.format || DEFAULT_FORMAT);
      return [{ type: "text", text: strftime(clock.now(), timezone, format) }];
    },
  };
}
