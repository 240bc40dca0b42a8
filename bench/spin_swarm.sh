#!/usr/bin/env bash
# A swarm verification of the TCP composition by hand (docs/verification.md, "SPIN beside tcpfsm
# explore"): many small bitstate runs of pan, each with its own hash seed, number of hash functions
# and random order of transitions and processes (-DT_RAND -DP_RAND -RSn), two at a time on the two
# cores, against one exhaustive run of the same model as the baseline. SPIN's own `swarm` front end
# does the same on many hosts; Debian does not package it.
#   bench/spin_swarm.sh FSMGEN SPEC [CALLS MESSAGES RUNS BITS]
# FSMGEN is the fsmgen binary, SPEC a spec with a composition (spec/tcp.fsm, or a broken variant:
# then the table says which runs found the violation). Defaults: 3 calls, 6 messages, 8 runs, -w23.
set -euo pipefail
fsmgen=$1 spec=$2 calls=${3:-3} messages=${4:-6} runs=${5:-8} bits=${6:-23}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$fsmgen" emit -t promela "$spec" -o "$work/model.pml"
(cd "$work" && spin -DFSM_CALLS="$calls" -DFSM_MESSAGES="$messages" -a model.pml > /dev/null)
(cd "$work" && cc -O2 -w -DNOCLAIM -o exhaustive pan.c && cc -O2 -w -DNOCLAIM -DBITSTATE -DT_RAND -DP_RAND -o swarm pan.c)

row() {  # label, pan output file, time file
  local states errors depth user rss
  states=$(grep -o '[0-9.e+]* states, stored' "$2" | head -1 | cut -d' ' -f1)
  errors=$(grep -o 'errors: [0-9]*' "$2" | head -1 | cut -d' ' -f2)
  depth=$(grep -o 'depth reached [0-9]*' "$2" | head -1 | cut -d' ' -f3)
  read -r user rss < "$3"
  printf '| %s | %s | %s | %s | %s | %d |\n' "$1" "$states" "$depth" "$errors" "$user" $((rss / 1024))
}

echo "| run | states stored | depth | errors | CPU s | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|---:|"
/usr/bin/time -f "%U %M" -o "$work/exhaustive.time" "$work/exhaustive" -m1000000 -w26 > "$work/exhaustive.out" 2>&1 || true
row "exhaustive (baseline), $calls calls, $messages messages" "$work/exhaustive.out" "$work/exhaustive.time"
seq 1 "$runs" | xargs -P 2 -I{} sh -c \
  "cd '$work' && /usr/bin/time -f '%U %M' -o run{}.time ./swarm -m1000000 -w$bits -k\$(( {} % 3 + 1 )) -RS{}{}7 > run{}.out 2>&1 || true"
for i in $(seq 1 "$runs"); do
  row "swarm run $i: -w$bits -k$((i % 3 + 1)) -RS${i}${i}7" "$work/run$i.out" "$work/run$i.time"
done
