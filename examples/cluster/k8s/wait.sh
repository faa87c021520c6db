#!/bin/sh
# Wait for a Kubernetes Job to finish: exit status 0 once it is complete, 1
# as soon as it has failed (kubectl wait --for=condition=complete would wait
# out its whole timeout), or when TIMEOUT seconds have passed.
#
#   examples/cluster/k8s/wait.sh backchannel-shards [TIMEOUT]   # default 86400
#
# A kubectl call that fails (an API server restarting, a network blip, an
# expired token being refreshed) is retried at the next poll; only
# MAX_ERRORS (default 30) failures in a row end the wait, with exit status
# 3: "cannot tell", never to be read as a failed Job.
set -u

job=${1:?usage: $0 JOB [TIMEOUT_SECONDS]}
timeout=${2:-86400}
poll=${POLL:-10}
max_errors=${MAX_ERRORS:-30}
waited=0
errors=0
while :; do
    if conditions=$(kubectl get job "$job" \
        -o 'jsonpath={range .status.conditions[?(@.status=="True")]}{.type}{" "}{end}'); then
        errors=0
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
    else
        errors=$((errors + 1))
        echo "wait.sh: kubectl get job $job failed ($errors in a row); retrying" >&2
        if [ "$errors" -ge "$max_errors" ]; then
            echo "job/$job: cannot read its status after $errors attempts in a row; it may still be running (kubectl get job $job)" >&2
            exit 3
        fi
    fi
    if [ "$waited" -ge "$timeout" ]; then
        echo "job/$job not finished after $timeout s" >&2
        exit 1
    fi
    sleep "$poll"
    waited=$((waited + poll))
done
