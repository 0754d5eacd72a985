#!/usr/bin/env bash
# Builds local stand-ins for the public base images that Dockerfile and docker-compose.yml name, so the image
# builds on a host that reaches no container registry (air-gapped, or behind a proxy that only lets package
# mirrors through). The stand-ins carry the exact names of the FROM lines, so the Dockerfile is the same online
# and offline; images that already exist are kept.
#
#   mcr.microsoft.com/dotnet/aspnet:10.0  Debian 12 minbase + this host's dotnet host, hostfxr and the
#                                         Microsoft.NETCore.App and Microsoft.AspNetCore.App shared frameworks,
#                                         user app (UID 1654) as in the official image
#   mcr.microsoft.com/dotnet/sdk:10.0     the same plus this host's SDK and targeting packs, its CA certificates
#                                         (/usr/local/share/ca-certificates) and its NuGet configuration, so
#                                         restore works inside the build as it does on the host
#   nginx:stable                          Debian 12 minbase + Debian's nginx, logging to stdout/stderr
#
# Needs root, debootstrap, a running Docker daemon and the .NET 10 SDK on the host. Debian comes from the
# mirror in this host's apt sources (override with DEBIAN_MIRROR=...). Took 3 to 7 minutes on 2 cores, most of it
# debootstrap.
# FORCE=1 rebuilds images that already exist.
set -euo pipefail

docker=${DOCKER:-/usr/bin/docker}
sdk_image=mcr.microsoft.com/dotnet/sdk:10.0
runtime_image=mcr.microsoft.com/dotnet/aspnet:10.0
nginx_image=nginx:stable
base_image=convservice-offline/debian:bookworm-minbase
packages=ca-certificates,libicu72,libssl3,tzdata,zlib1g

log() { echo "offline-base-images: $*" >&2; }

exists() { [[ "${FORCE:-0}" != 1 ]] && "$docker" image inspect "$1" >/dev/null 2>&1; }

# The first Debian mirror in the apt sources (one-line or deb822 format), without a trailing slash.
debian_mirror() {
  if [[ -n "${DEBIAN_MIRROR:-}" ]]; then
    echo "${DEBIAN_MIRROR%/}"
    return
  fi
  local mirror
  mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
    | grep -v '^\s*#' \
    | grep -oE '(https?|file)://[^ ]*debian/?' \
    | grep -v -- '-security' | head -n 1 || true)
  echo "${mirror:-http://deb.debian.org/debian}" | sed 's:/*$::'
}

dotnet_root() {
  local dotnet
  dotnet=$(readlink -f "$(command -v dotnet)")
  dirname "$dotnet"
}

work=$(mktemp -d /tmp/convservice-offline.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Debian 12 minbase with the libraries .NET needs, imported as an image.
rootfs="$work/rootfs"
if ! exists "$base_image"; then
  mirror=$(debian_mirror)
  log "debootstrap bookworm (minbase) from $mirror"
  debootstrap --variant=minbase --include="$packages" bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | "$docker" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' - "$base_image" >/dev/null
  log "built $base_image"
else
  log "$base_image exists"
fi

root=$(dotnet_root)
version=$(dotnet --list-runtimes | awk '$1 == "Microsoft.AspNetCore.App" { v = $2 } END { print v }')
[[ -n "$version" ]] || { log "no Microsoft.AspNetCore.App runtime under $root"; exit 1; }

# The runtime: only the host, hostfxr and the two shared frameworks of the version found.
if ! exists "$runtime_image"; then
  ctx="$work/runtime"
  mkdir -p "$ctx/dotnet/host/fxr" "$ctx/dotnet/shared/Microsoft.NETCore.App" "$ctx/dotnet/shared/Microsoft.AspNetCore.App"
  cp -a "$root/dotnet" "$root/LICENSE.txt" "$ctx/dotnet/"
  cp -a "$root/host/fxr/." "$ctx/dotnet/host/fxr/"
  cp -a "$root/shared/Microsoft.NETCore.App/$version" "$ctx/dotnet/shared/Microsoft.NETCore.App/"
  cp -a "$root/shared/Microsoft.AspNetCore.App/$version" "$ctx/dotnet/shared/Microsoft.AspNetCore.App/"
  cat >"$ctx/Dockerfile" <<EOF
FROM $base_image
COPY dotnet/ /usr/share/dotnet/
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \\
 && groupadd --gid 1654 app \\
 && useradd --no-log-init --uid 1654 --gid 1654 --create-home app
ENV APP_UID=1654 \\
    ASPNETCORE_HTTP_PORTS=8080 \\
    DOTNET_RUNNING_IN_CONTAINER=true \\
    DOTNET_VERSION=$version \\
    ASPNET_VERSION=$version
EOF
  log "building $runtime_image ($version)"
  "$docker" build -q -t "$runtime_image" "$ctx" >/dev/null
else
  log "$runtime_image exists"
fi

# The SDK: the whole dotnet root, the host's CA certificates and NuGet configuration.
if ! exists "$sdk_image"; then
  ctx="$work/sdk"
  mkdir -p "$ctx/certs" "$ctx/nuget"
  cp -a "$root/." "$ctx/dotnet/"
  cp /usr/local/share/ca-certificates/*.crt "$ctx/certs/" 2>/dev/null || true
  touch "$ctx/certs/.keep"
  config="${NUGET_CONFIG:-$HOME/.nuget/NuGet/NuGet.Config}"
  if [[ -f "$config" ]]; then
    cp "$config" "$ctx/nuget/NuGet.Config"
  fi
  touch "$ctx/nuget/.keep"
  cat >"$ctx/Dockerfile" <<EOF
FROM $base_image
COPY dotnet/ /usr/share/dotnet/
COPY certs/ /usr/local/share/ca-certificates/
COPY nuget/ /root/.nuget/NuGet/
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \\
 && rm -f /usr/local/share/ca-certificates/.keep /root/.nuget/NuGet/.keep \\
 && update-ca-certificates >/dev/null \\
 && groupadd --gid 1654 app \\
 && useradd --no-log-init --uid 1654 --gid 1654 --create-home app
ENV APP_UID=1654 \\
    ASPNETCORE_HTTP_PORTS=8080 \\
    DOTNET_RUNNING_IN_CONTAINER=true \\
    DOTNET_NOLOGO=1 \\
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \\
    DOTNET_GENERATE_ASPNET_CERTIFICATE=false \\
    NUGET_XMLDOC_MODE=skip \\
    NUGET_CERT_REVOCATION_MODE=${NUGET_CERT_REVOCATION_MODE:-online}
EOF
  # A proxy the host restores through is passed on to the build as well.
  for name in HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy; do
    if [[ -n "${!name:-}" ]]; then
      echo "ENV $name=${!name}" >>"$ctx/Dockerfile"
    fi
  done
  log "building $sdk_image"
  "$docker" build -q -t "$sdk_image" "$ctx" >/dev/null
else
  log "$sdk_image exists"
fi

# nginx from Debian's package, installed from the same mirror (the build container reaches it as the host does).
if ! exists "$nginx_image"; then
  ctx="$work/nginx"
  mkdir -p "$ctx"
  cat >"$ctx/Dockerfile" <<EOF
FROM $base_image
RUN echo "deb $(debian_mirror) bookworm main" >/etc/apt/sources.list \\
 && apt-get update -qq \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx curl >/dev/null \\
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/default \\
 && ln -sf /dev/stdout /var/log/nginx/access.log \\
 && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
EOF
  log "building $nginx_image"
  "$docker" build -q -t "$nginx_image" "$ctx" >/dev/null
else
  log "$nginx_image exists"
fi

log "ready: $runtime_image, $sdk_image, $nginx_image"
