#!/bin/sh
# `docker pull` of every image a Co-op Cloud app uses, run before `abra app deploy` as cc-ci
# would run it with the docker CLI, so that the deploy's own time is the start, not the download.
#   sh pull-images.sh RECIPE SERVER DOMAIN [VERSION]
# The compose files are the recipe's (~/.abra/recipes/RECIPE, or $ABRA_DIR's): those the app's
# env file (servers/SERVER/DOMAIN.env) names in COMPOSE_FILE, else compose.yml, and that env
# file fills their variables. With VERSION (a recipe tag, or `previous` for the release before
# the newest) the files are taken at that tag, as abra checks it out to deploy it.
set -eu
recipe=$1 server=$2 domain=$3 version=${4:-}
abra_dir=${ABRA_DIR:-$HOME/.abra}
env_file=$abra_dir/servers/$server/$domain.env
dir=$abra_dir/recipes/$recipe
if [ "$version" = previous ]; then
  version=$(git -C "$dir" tag --sort=-v:refname | sed -n 2p)
fi
if [ -n "$version" ]; then
  tree=$(mktemp -d)
  trap 'rm -rf "$tree"' EXIT
  git -C "$dir" archive "$version" | tar -x -C "$tree"
  dir=$tree
fi
compose_files=$(sed -n 's/^COMPOSE_FILE=//p' "$env_file" | tr -d "\"'" | tail -n 1)
set --
for f in $(echo "${compose_files:-compose.yml}" | tr ':' ' '); do
  set -- "$@" -f "$dir/$f"
done
docker compose --env-file "$env_file" "$@" config --images | sort -u |
  xargs -r -n 1 docker pull --quiet
