#!/usr/bin/env bash
# Validate a SARIF file with Microsoft's SARIF Multitool, using both the SARIF spec rules and
# GitHub code scanning's ingestion rules (--rule-kind "Sarif;Gh").
#
#   scripts/validate-sarif.sh FILE.sarif
#
# Exit 0 when the validation log has no result at level error or warning (notes are listed as a
# summary but do not fail), 1 when it has some (each is printed), 2 when the tool could not run.
#
# The multitool is installed with npm on first use into a cache directory:
#   SARIF_MULTITOOL_HOME     install prefix (default: $XDG_CACHE_HOME/clerk-lint/sarif-multitool,
#                            falling back to a temporary directory when that is not writable)
#   SARIF_MULTITOOL_VERSION  npm version of @microsoft/sarif-multitool (default: 5.7.0)
#   SARIF_MULTITOOL          path to an already installed Sarif.Multitool binary (skips npm)
#   SARIF_VALIDATION_LOG     where to keep the validation log (default: a temporary file)
set -euo pipefail

usage() {
    echo "usage: $0 FILE.sarif" >&2
    exit 2
}

[[ $# -eq 1 ]] || usage
sarif=$1
if [[ ! -f $sarif || ! -r $sarif ]]; then
    echo "validate-sarif: $sarif: no such readable file" >&2
    exit 2
fi
command -v python3 >/dev/null || { echo "validate-sarif: python3 is required" >&2; exit 2; }

version=${SARIF_MULTITOOL_VERSION:-5.7.0}
case "$(uname -s)" in
    Linux) platform=linux ;;
    Darwin) platform=darwin ;;
    *) echo "validate-sarif: unsupported platform $(uname -s)" >&2; exit 2 ;;
esac

workdir=$(mktemp -d "${TMPDIR:-/tmp}/validate-sarif.XXXXXX")
trap 'rm -rf "$workdir"' EXIT

if [[ -n ${SARIF_MULTITOOL:-} ]]; then
    tool=$SARIF_MULTITOOL
else
    prefix=${SARIF_MULTITOOL_HOME:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/clerk-lint/sarif-multitool}
    if ! mkdir -p "$prefix" 2>/dev/null || [[ ! -w $prefix ]]; then
        prefix=$workdir/npm
        mkdir -p "$prefix"
    fi
    tool=$prefix/node_modules/@microsoft/sarif-multitool-$platform/Sarif.Multitool
    if [[ ! -f $tool ]]; then
        command -v npm >/dev/null || { echo "validate-sarif: npm is required to install the SARIF Multitool" >&2; exit 2; }
        echo "validate-sarif: installing @microsoft/sarif-multitool@$version into $prefix" >&2
        npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "@microsoft/sarif-multitool@$version" >&2
    fi
fi
if [[ ! -f $tool ]]; then
    echo "validate-sarif: $tool not found after installation" >&2
    exit 2
fi
# npm does not always run the package's postinstall step that makes the binary executable
[[ -x $tool ]] || chmod u+x "$tool"

# the multitool is a .NET single-file app; without libicu it aborts unless globalization is invariant
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=${DOTNET_SYSTEM_GLOBALIZATION_INVARIANT:-1}
export DOTNET_CLI_TELEMETRY_OPTOUT=1

log=${SARIF_VALIDATION_LOG:-$workdir/validation.sarif}
status=0
"$tool" validate "$sarif" \
    --rule-kind "Sarif;Gh" \
    --level "Error;Warning;Note" \
    --output "$log" \
    --log ForceOverwrite \
    >"$workdir/stdout" 2>&1 || status=$?
if [[ ! -s $log ]]; then
    cat "$workdir/stdout" >&2
    echo "validate-sarif: the SARIF Multitool wrote no log (exit code $status)" >&2
    exit 2
fi

python3 - "$log" "$sarif" "$status" <<'PY'
import json
import sys
from collections import Counter

log_path, target, status = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(log_path, encoding="utf-8-sig") as stream:
    log = json.load(stream)


def text(message, rule):
    """A result message: its text, or its messageStrings template filled with its arguments."""
    if "text" in message:
        return message["text"]
    template = (rule.get("messageStrings") or {}).get(message.get("id"), {}).get("text")
    arguments = message.get("arguments", [])
    if template is None:
        return f"{message.get('id', '?')}: {', '.join(arguments)}"
    for n, argument in enumerate(arguments):
        template = template.replace("{%d}" % n, argument)
    return template


problems, notes, tool_failed = [], Counter(), False
for run in log.get("runs", []):
    rules = run.get("tool", {}).get("driver", {}).get("rules", [])
    for result in run.get("results", []):
        level = result.get("level", "warning")
        index = result.get("ruleIndex", -1)
        rule = rules[index] if 0 <= index < len(rules) else {}
        rule_id = result.get("ruleId", rule.get("id", "?"))
        if level in ("error", "warning"):
            region = {}
            for location in result.get("locations", []):
                region = location.get("physicalLocation", {}).get("region", {})
                break
            where = f"{target}({region.get('startLine', '?')},{region.get('startColumn', '?')})"
            problems.append(f"{where}: {level} {rule_id}: {text(result.get('message', {}), rule)}")
        else:
            notes[f"{rule_id} {rule.get('name', '')}".strip()] += 1
    for invocation in run.get("invocations", []):
        if invocation.get("executionSuccessful") is False:
            tool_failed = True
        for key in ("toolConfigurationNotifications", "toolExecutionNotifications"):
            for notification in invocation.get(key, []):
                if notification.get("level", "warning") == "error":
                    tool_failed = True
                    problems.append(f"{target}: tool error {notification.get('descriptor', {}).get('id', '')}: {text(notification.get('message', {}), {})}")

for line in problems:
    print(line)
summary = ", ".join(f"{rule} x{count}" for rule, count in sorted(notes.items())) or "none"
print(f"validate-sarif: {target}: {len(problems)} error/warning result(s); notes: {summary}")
if tool_failed or (status != 0 and not problems):
    print(f"validate-sarif: the SARIF Multitool failed (exit code {status})", file=sys.stderr)
    sys.exit(2)
sys.exit(1 if problems else 0)
PY
