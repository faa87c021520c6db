#!/bin/sh
# Wait for a Kubernetes Job to finish: exit status 0 once it is complete, 1
# as soon as it has failed (kubectl wait --for=condition=complete would wait
# out its whole timeout), or when TIMEOUT seconds have passed.
#
#   examples/cluster/k8s/wait.sh backchannel-shards [TIMEOUT]   # default 86400
set -eu

job=${1:?usage: $0 JOB [TIMEOUT_SECONDS]}
timeout=${2:-86400}
poll=${POLL:-10}
waited=0
while :; do
    conditions=$(kubectl get job "$job" \
        -o 'jsonpath={range .status.conditions[?(@.status=="True")]}{.type}{" "}{end}')
    case " $conditions " in
    *" Complete "*)
        echo "job/$job complete"
        exit 0
        ;;
    *" Failed "*)
        echo "job/$job failed:" >&2
        kubectl get job "$job" -o 'jsonpath={range .status.conditions[?(@.type=="Failed")]}{.reason}: {.message}{"\n"}{end}' >&2 || true
        exit 1
        ;;
    esac
    if [ "$waited" -ge "$timeout" ]; then
        echo "job/$job not finished after $timeout s" >&2
        exit 1
    fi
    sleep "$poll"
    waited=$((waited + poll))
done
