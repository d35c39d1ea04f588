#!/usr/bin/env bash
# Interop with a real 4diac FORTE (issue 16), run by hand:
#
#   FORTE=path/to/forte tools/forte_interop.sh
#
# FORTE is built outside this repository from its public source
# (../shared/4diac-management.md, section 8). The script runs one FORTE
# device and one plc device (bin/plc device) on loopback and shows, for
# every elementary type:
#   1. FORTE's PUBLISH_9 -> plc's SUBSCRIBE_9 (FBDK ASN.1 over UDP);
#   2. plc's PUBLISH_9 -> FORTE's SUBSCRIBE_9;
#   3. FORTE's CLIENT_3_3 -> plc's SERVER_3_3 (FBDK over TCP), the server
#      answering each request with its own data.
# Each value leaves as text through F_STRING_TO_<T> (STRING2STRING for a
# STRING), travels as its type, and is read back as text on the receiving
# device through F_<T>_TO_STRING, watched with the management protocol
# (bin/plc deploy ... READ Watches). Both devices are deployed with boot
# files generated here, the same file for FORTE and for plc. Exit status 0
# when every value arrived as sent; the table is printed either way.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${FORTE:-}" ] || [ ! -x "$FORTE" ]; then
  echo "FORTE must name a forte binary: build 4diac FORTE from github.com/eclipse-4diac/4diac-forte" >&2
  echo "outside this repository (../shared/4diac-management.md, section 8), then" >&2
  echo "  FORTE=/path/to/build/src/forte tools/forte_interop.sh" >&2
  exit 2
fi
[ -x bin/plc ] || { echo "bin/plc missing: run rebar3 compile first" >&2; exit 2; }

work=$(mktemp -d)
forte_port=61540
plc_port=61541
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# type, the text sent, the text the receiver's F_<T>_TO_STRING gives back
types=(BOOL SINT INT DINT LINT USINT UINT UDINT ULINT BYTE WORD DWORD LWORD REAL LREAL TIME STRING WSTRING)
sent=(TRUE -5 -300 -70000 -5000000000 200 60000 4000000000 10000000000000000000 16#A5 16#BEEF 16#DEADBEEF
  16#0123456789ABCDEF 3.5 -2.25 T#1s500ms hello wide)

n=${#types[@]}
source_type() { # the FB that turns text into the type
  case $1 in STRING) echo STRING2STRING ;; *) echo "F_STRING_TO_$1" ;; esac
}
sink_type() { # the FB that turns the type into text
  case $1 in STRING) echo STRING2STRING ;; *) echo "F_$1_TO_STRING" ;; esac
}
req() { # destination, request XML
  printf '%s;%s\n' "$1" "$2"
}
id=0
cmd() { # destination, action, child XML
  id=$((id + 1))
  if [ -z "$3" ]; then req "$1" "<Request ID=\"$id\" Action=\"$2\"/>"; else req "$1" "<Request ID=\"$id\" Action=\"$2\">$3</Request>"; fi
}
fb() { cmd R CREATE "<FB Name=\"$1\" Type=\"$2\" />"; }
write() { cmd R WRITE "<Connection Source=\"$1\" Destination=\"$2\" />"; }
conn() { cmd R CREATE "<Connection Source=\"$1\" Destination=\"$2\" />"; }

# Sender: sources S<k> (text -> type) into block kind $1 (PUBLISH/CLIENT),
# groups of $2 values, IDs at port $3 + group; the block's REQ every 500 ms.
sender() {
  local kind=$1 per=$2 port=$3 blocks=$(( (n + $2 - 1) / $2 )) k g prev=START.COLD
  id=0
  cmd "" CREATE '<FB Name="R" Type="EMB_RES" />'
  for ((k = 0; k < n; k++)); do
    fb "S$k" "$(source_type "${types[$k]}")"
    write "'${sent[$k]}'" "S$k.IN"
    conn "$prev" "S$k.REQ"
    prev="S$k.CNF"
  done
  for ((g = 0; g < blocks; g++)); do
    if [ "$kind" = PUBLISH ]; then fb "B$g" "PUBLISH_$per"; else fb "B$g" "CLIENT_${per}_${per}"; fi
    write TRUE "B$g.QI"
    write "&quot;127.0.0.1:$((port + g))&quot;" "B$g.ID"
    conn "$prev" "B$g.INIT"
    prev="B$g.INITO"
  done
  for ((k = 0; k < n; k++)); do conn "S$k.OUT" "B$((k / per)).SD_$((k % per + 1))"; done
  fb CYC E_CYCLE
  write T#500ms CYC.DT
  conn "$prev" CYC.START
  prev=CYC.EO
  for ((g = 0; g < blocks; g++)); do
    conn "$prev" "B$g.REQ"
    prev="B$g.CNF"
  done
  if [ "$kind" = CLIENT ]; then  # the response's RDs into sinks K<k>
    for ((k = 0; k < n; k++)); do
      fb "K$k" "$(sink_type "${types[$k]}")"
      conn "B$((k / per)).RD_$((k % per + 1))" "K$k.IN"
    done
    for ((g = 0; g < blocks; g++)); do
      prev="B$g.CNF"
      for ((k = g * per; k < (g + 1) * per && k < n; k++)); do
        conn "$prev" "K$k.REQ"
        prev="K$k.CNF"
      done
    done
  fi
  cmd R START ""
}

# Receiver: block kind $1 (SUBSCRIBE/SERVER) in groups of $2 at port $3;
# SUBSCRIBE's RDs go into sinks K<k>; SERVER answers with the RDs it got.
receiver() {
  local kind=$1 per=$2 port=$3 blocks=$(( (n + $2 - 1) / $2 )) k g prev=START.COLD
  id=0
  cmd "" CREATE '<FB Name="R" Type="EMB_RES" />'
  for ((g = 0; g < blocks; g++)); do
    if [ "$kind" = SUBSCRIBE ]; then fb "B$g" "SUBSCRIBE_$per"; else fb "B$g" "SERVER_${per}_${per}"; fi
    write TRUE "B$g.QI"
    write "&quot;127.0.0.1:$((port + g))&quot;" "B$g.ID"
    conn "$prev" "B$g.INIT"
    prev="B$g.INITO"
  done
  for ((k = 0; k < n; k++)); do
    fb "K$k" "$(sink_type "${types[$k]}")"
    conn "B$((k / per)).RD_$((k % per + 1))" "K$k.IN"
  done
  for ((g = 0; g < blocks; g++)); do
    prev="B$g.IND"
    for ((k = g * per; k < (g + 1) * per && k < n; k++)); do
      conn "$prev" "K$k.REQ"
      prev="K$k.CNF"
    done
    if [ "$kind" = SERVER ]; then  # the response: the request's own values, typed by the sinks
      for ((k = g * per; k < (g + 1) * per && k < n; k++)); do
        fb "E$k" "$(source_type "${types[$k]}")"
        conn "K$k.OUT" "E$k.IN"
        conn "$prev" "E$k.REQ"
        prev="E$k.CNF"
        conn "E$k.OUT" "B$g.SD_$((k % per + 1))"
      done
      conn "$prev" "B$g.RSP"
    fi
  done
  cmd R START ""
}

watches() { # the READ of every sink's OUT
  id=100
  for ((k = 0; k < n; k++)); do cmd R CREATE "<Watch Source=\"K$k.OUT\" Destination=\"*\" />"; done
  cmd "" READ "<Watches/>"
}

# Prints the text each sink K<k> holds, one per line, from a READ Watches.
received() { # port
  local out k
  out=$(bin/plc deploy -c "localhost:$1" "$work/watches.fboot" 2>&1 || true)
  for ((k = 0; k < n; k++)); do
    grep -o "<FB name=\"K$k\"><Port name=\"OUT\"><Data value=\"[^\"]*\"" <<<"$out" | head -1 |
      sed -e 's/.*value="//' -e 's/"$//' -e "s/&apos;/'/g" -e 's/&quot;/"/g' -e 's/&amp;/\&/g' -e "s/^'//" -e "s/'$//" || true
  done
}

device_up() { # port: wait until it answers
  local k
  for ((k = 0; k < 100; k++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "no device on port $1" >&2
  return 1
}

watches >"$work/watches.fboot"
failures=0
run_case() { # title, sender on forte|plc, sender boot, receiver boot, receiver port
  local title=$1 sender_on=$2
  echo "== $title"
  # The receiver first (a server must listen before its client connects).
  if [ "$sender_on" = forte ]; then
    bin/plc device -c "localhost:$plc_port" -f "$4" >"$work/plc.log" 2>&1 &
    pids+=($!)
    device_up "$plc_port"
    "$FORTE" -c "localhost:$forte_port" -f "$3" >"$work/forte.log" 2>&1 &
    pids+=($!)
    device_up "$forte_port"
  else
    "$FORTE" -c "localhost:$forte_port" -f "$4" >"$work/forte.log" 2>&1 &
    pids+=($!)
    device_up "$forte_port"
    bin/plc device -c "localhost:$plc_port" -f "$3" >"$work/plc.log" 2>&1 &
    pids+=($!)
    device_up "$plc_port"
  fi
  sleep 3  # a few cycles of the sender
  mapfile -t got < <(received "$5")
  printf '%-8s %-22s %-22s %s\n' type sent received ok
  local k mark
  for ((k = 0; k < n; k++)); do
    mark=yes
    [ "${got[$k]:-}" = "${expect[$k]}" ] || { mark=NO; failures=$((failures + 1)); }
    printf '%-8s %-22s %-22s %s\n' "${types[$k]}" "${sent[$k]}" "${got[$k]:-}" "$mark"
  done
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
  if [ "${VERBOSE:-}" ]; then tail -n 5 "$work/forte.log"; tail -n 5 "$work/plc.log"; fi
}

# What F_<T>_TO_STRING prints for each value sent, on FORTE and on plc
# alike: bit strings in decimal, TIME in ms.
expect=(TRUE -5 -300 -70000 -5000000000 200 60000 4000000000 10000000000000000000 165 48879 3735928559
  81985529216486895 3.5 -2.25 T#1500ms hello wide)

sender PUBLISH 9 61610 >"$work/pub.fboot"
receiver SUBSCRIBE 9 61610 >"$work/sub.fboot"
run_case "FORTE PUBLISH_9 -> plc SUBSCRIBE_9 (UDP)" forte "$work/pub.fboot" "$work/sub.fboot" "$plc_port"
run_case "plc PUBLISH_9 -> FORTE SUBSCRIBE_9 (UDP)" plc "$work/pub.fboot" "$work/sub.fboot" "$forte_port"
sender CLIENT 3 61620 >"$work/client.fboot"
receiver SERVER 3 61620 >"$work/server.fboot"
run_case "FORTE CLIENT_3_3 -> plc SERVER_3_3 (TCP), the response as read by FORTE" forte "$work/client.fboot" \
  "$work/server.fboot" "$forte_port"

echo "BENCH forte_interop_failures $failures values"
[ "$failures" -eq 0 ]
