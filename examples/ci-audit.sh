#!/bin/sh
# CI job: audit a database against the privacy policy and fail the pipeline on NEW findings.
#
#   PDAUDIT_DB_URL     database URL without the password (e.g. postgresql://audit@db/mirum)
#   PDAUDIT_DB_PASSWORD  the password (a CI secret; never echoed)
#   PDAUDIT_BASELINE   the previous report.json (a cached artifact); optional on the first run
#   PDAUDIT_OUT        where to write report.json / report.sarif / report.html (default: audit)
#   PDAUDIT            the pdaudit command (default: pdaudit)
#   PDAUDIT_TRIAGE     reviewers' decisions (optional, usually committed to the repository)
#
# Exit status: 0 nothing new beyond the policy, 1 new findings, 2 errors (as `pdaudit scan`).
set -eu

out=${PDAUDIT_OUT:-audit}
pdaudit=${PDAUDIT:-pdaudit}
mkdir -p "$out"

set -- "$PDAUDIT_DB_URL" --password-env PDAUDIT_DB_PASSWORD --format json --output "$out/report.json" --fail-on new --quiet
if [ -n "${PDAUDIT_BASELINE:-}" ] && [ -f "$PDAUDIT_BASELINE" ]; then
    set -- "$@" --baseline "$PDAUDIT_BASELINE"
fi
if [ -n "${PDAUDIT_TRIAGE:-}" ]; then
    set -- "$@" --triage-file "$PDAUDIT_TRIAGE"
fi

status=0
$pdaudit --log-format json scan "$@" || status=$?
if [ "$status" -le 1 ]; then
    # SARIF for the code-scanning dashboard, HTML for people; rendered from the same JSON.
    $pdaudit report "$out/report.json" --format sarif --output "$out/report.sarif"
    $pdaudit report "$out/report.json" --format html --output "$out/report.html"
fi
exit "$status"
