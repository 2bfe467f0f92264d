#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Print command (ippeveprinter -c) for the printer fault tests. The fault to
# play is read from "$KIOSK_SIM_CONTROL/fault" at each job:
#   media-empty | media-jam | cover-open  the printer raises that condition
#                                         and aborts the job
#   hang        the job stays "processing" until the printer is killed
#   (none)      the job completes
ctl="${KIOSK_SIM_CONTROL:?KIOSK_SIM_CONTROL not set}"
fault=$(cat "$ctl/fault" 2>/dev/null || true)
case "$fault" in
  media-empty|media-jam|cover-open)
    echo "STATE: +$fault" >&2
    exit 1
    ;;
  hang)
    : > "$ctl/started"
    while kill -0 "$PPID" 2>/dev/null; do sleep 0.1; done
    exit 1
    ;;
esac
exit 0
