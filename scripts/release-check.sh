#!/usr/bin/env bash
# Proves the publishing path the platform team uses for Nexus (docs/releasing.md), end to end:
#  1. deploy every module to a local file repository, with the same distributionManagement
#     properties a Nexus deploy takes (aegis.releases.url / aegis.snapshots.url);
#  2. build a tiny consumer (scripts/consumer) that imports only aegis-gateway-bom and depends on
#     aegis-gateway-jaxrs without a version, with Aegis artifacts resolvable from that repository
#     alone (any copy in the local Maven repository is removed first);
#  3. check that every Aegis artifact the consumer used came from that repository.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/target/release-check"
staging="$work/staging-repository"
m2="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$root/pom.xml" | sed -n 1p)

rm -rf "$work"
mkdir -p "$staging"

echo "release-check: deploying $version to file://$staging"
mvn -B -q -f "$root/pom.xml" deploy -DskipTests -Dmaven.install.skip=true \
    -Daegis.releases.url="file://$staging" -Daegis.snapshots.url="file://$staging"

for module in aegis-gateway-bom aegis-gateway-core aegis-gateway-servlet aegis-gateway-jaxrs aegis-llm-client aegis-gateway-istio-sidecar; do
  dir="$staging/io/aegis/gateway/$module/$version"
  ls "$dir"/*.pom >/dev/null 2>&1 || { echo "release-check: $module was not deployed" >&2; exit 1; }
  if [ "$module" != aegis-gateway-bom ]; then
    kinds=(main sources)
    # A module that holds only package-info.java has nothing for javadoc.
    if [ -n "$(find "$root/$module/src/main/java" -name '*.java' ! -name package-info.java | head -1)" ]; then
      kinds+=(javadoc)
    fi
    for kind in "${kinds[@]}"; do
      if [ "$kind" = main ]; then pattern="$module-${version%-SNAPSHOT}*[0-9].jar"; else pattern="*-$kind.jar"; fi
      ls "$dir"/$pattern >/dev/null 2>&1 || { echo "release-check: $module has no $kind jar" >&2; exit 1; }
    done
  fi
done
if [ -d "$staging/io/aegis/gateway/user-service" ] || [ -d "$staging/io/aegis/gateway/aegis-benchmarks" ]; then
  echo "release-check: examples or benchmarks were published; they must not be" >&2; exit 1
fi

# The consumer must not find Aegis in the local repository: only the staging repository has it.
rm -rf "$m2/io/aegis/gateway"
cp -r "$root/scripts/consumer" "$work/consumer"
cat > "$work/settings.xml" <<XML
<settings>
  <profiles>
    <profile>
      <id>aegis-staging</id>
      <repositories>
        <repository>
          <id>aegis-staging</id>
          <url>file://$staging</url>
          <releases><enabled>true</enabled></releases>
          <snapshots><enabled>true</enabled><updatePolicy>always</updatePolicy></snapshots>
        </repository>
      </repositories>
    </profile>
  </profiles>
  <activeProfiles><activeProfile>aegis-staging</activeProfile></activeProfiles>
</settings>
XML

echo "release-check: building the consumer against the staging repository"
mvn -B -q -s "$work/settings.xml" -f "$work/consumer/pom.xml" -Daegis.version="$version" verify

for module in aegis-gateway-bom aegis-gateway-core aegis-gateway-jaxrs; do
  marker="$m2/io/aegis/gateway/$module/$version/_remote.repositories"
  grep -q 'aegis-staging' "$marker" 2>/dev/null || {
    echo "release-check: $module did not come from the staging repository ($marker)" >&2; exit 1; }
done
echo "release-check: OK - deployed $version; the consumer resolved Aegis from the staging repository only"
