package io.aegis.gateway.mesh.cli;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.config.ConfigException;
import io.aegis.gateway.mesh.Canary;
import io.aegis.gateway.mesh.GeneratedConfig;
import io.aegis.gateway.mesh.MeshConfigException;
import io.aegis.gateway.mesh.MeshDescription;
import io.aegis.gateway.mesh.MeshGenerator;
import io.aegis.gateway.mesh.MeshSource;
import io.aegis.gateway.mesh.MeshValidator;
import io.aegis.gateway.mesh.extauthz.ExtAuthzServer;
import io.aegis.gateway.mesh.extauthz.ExtAuthzSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code aegis-mesh}: generates Istio, Kong and Kubernetes configuration from a service's policy,
 * moves canary rollouts, validates generated files, and runs the ext_authz sidecar.
 *
 * <p>Exit codes: {@value #OK} success; {@value #INVALID_CONFIG} the validator found documents that
 * fail their schema; {@value #USAGE} a usage error (unknown option, missing argument);
 * {@value #REFUSED} the input is refused (malformed or inconsistent descriptor, overlay or policy;
 * a canary step that skips a stage); {@value #IO} a file or a tool cannot be read, written or run;
 * {@value #INTERNAL} a bug (reported with its type, never a stack trace). Errors are one line on
 * standard error.
 */
@Command(name = "aegis-mesh", mixinStandardHelpOptions = true, versionProvider = AegisMesh.Version.class,
        description = "Generates Istio, Kong and Kubernetes configuration from an Aegis service's policy, moves canary"
                + " rollouts, validates generated files and runs the Envoy ext_authz sidecar.",
        subcommands = {AegisMesh.Generate.class, AegisMesh.CanaryStep.class, AegisMesh.Rollback.class,
                AegisMesh.Validate.class, AegisMesh.ServeExtAuthz.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the generated configuration fails validation",
                "2:usage error (unknown option, missing argument)",
                "3:input refused: malformed or inconsistent descriptor/overlay/policy, or a refused canary step",
                "4:a file or tool cannot be read, written or run", "5:internal error"})
public final class AegisMesh implements Runnable {

    public static final int OK = 0;
    public static final int INVALID_CONFIG = 1;
    public static final int USAGE = 2;
    public static final int REFUSED = 3;
    public static final int IO = 4;
    public static final int INTERNAL = 5;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI on the standard streams and answers its exit code. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true, StandardCharsets.UTF_8), new PrintWriter(System.err, true,
                StandardCharsets.UTF_8), args);
    }

    /** Runs the CLI with its output and errors to these writers, and answers its exit code (for tests and embedding). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new AegisMesh());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            PrintWriter w = e.getCommandLine().getErr();
            w.println("aegis-mesh: " + e.getMessage() + " (see: " + e.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help)");
            w.flush();
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, c, parsed) -> {
            PrintWriter w = c.getErr();
            int code;
            String message;
            if (e instanceof MeshConfigException || e instanceof ConfigException || e instanceof Refused) {
                code = REFUSED;
                message = e.getMessage();
            } else if (e instanceof UncheckedIOException || e instanceof IOException || e instanceof ToolMissing) {
                code = IO;
                message = e.getMessage() + (e.getCause() != null && e.getCause() != e ? ": " + e.getCause().getMessage() : "");
            } else {
                code = INTERNAL;
                message = "internal error " + e.getClass().getName() + ": " + e.getMessage();
            }
            w.println("aegis-mesh: " + message.replace('\n', ' '));
            w.flush();
            return code;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: generate, canary,"
                + " rollback, validate or serve-ext-authz");
    }

    /** A refusal that is not about a descriptor field. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** A tool the command needs is missing. */
    static final class ToolMissing extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ToolMissing(String message) {
            super(message);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = AegisMesh.class.getPackage().getImplementationVersion();
            return new String[] {"aegis-mesh " + (v == null ? "(development build)" : v)};
        }
    }

    /** Options that select and read a service's description. */
    static final class DescriptionOptions {
        @Option(names = "--service", required = true, paramLabel = "FILE",
                description = "the service's descriptor (e.g. deploy/user-service/aegis-mesh.yaml)")
        Path descriptor;

        @Option(names = "--env", required = true, paramLabel = "ENV",
                description = "the environment: dev, staging, prod, ... (reads env/ENV.yaml beside the descriptor)")
        String env;

        @Option(names = "--overlay", paramLabel = "FILE", description = "an overlay instead of env/ENV.yaml")
        Path overlay;

        @Option(names = "--classpath", paramLabel = "PATH", split = "[:;]",
                description = "compiled classes or jars to scan for JAX-RS resources, besides the descriptor's policy.classpath")
        List<Path> classpath = new ArrayList<>();

        @Option(names = "--now", paramLabel = "INSTANT", description = "the time that decides which versions are sunset"
                + " (ISO-8601, default: now); for reproducible runs")
        Instant now;

        MeshDescription load() {
            MeshSource source = MeshSource.of(descriptor).environment(env).classpath(classpath)
                    .clock(now == null ? Clock.systemUTC() : Clock.fixed(now, ZoneOffset.UTC));
            if (overlay != null) {
                source.overlay(overlay);
            }
            try {
                return source.load();
            } catch (MeshConfigException e) {
                throw new MeshConfigException(descriptor + " (" + source.overlayFile().getFileName() + "): " + e.field(),
                        e.getMessage().substring(e.field().length() + 2), e);
            }
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Generates istio/, kong/, kubernetes/ and helm/ files for one service and environment.")
    static final class Generate implements Callable<Integer> {
        @CommandLine.ArgGroup(exclusive = false, multiplicity = "1")
        DescriptionOptions description;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "where to write the files")
        Path out;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            MeshDescription d = description.load();
            GeneratedConfig files = MeshGenerator.generate(d);
            files.write(out);
            PrintWriter w = spec.commandLine().getOut();
            w.println("aegis-mesh: " + files.files().size() + " files for " + d.service() + " (" + d.environment() + ") in " + out);
            files.files().keySet().forEach(f -> w.println("  " + f));
            w.flush();
            return OK;
        }
    }

    /** Where the VirtualService is: a file, or an output directory of generate. */
    static final class Target {
        @Option(names = "--file", paramLabel = "FILE", description = "a generated virtual-service.yaml")
        Path file;

        @Option(names = "--out", paramLabel = "DIR", description = "an output directory of generate (its istio/virtual-service.yaml)")
        Path out;

        Path resolve() {
            return file != null ? file : out.resolve("istio").resolve("virtual-service.yaml");
        }
    }

    @Command(name = "canary", mixinStandardHelpOptions = true,
            description = "Moves the canary of a rollout to N percent of the traffic both versions serve, one stage at a"
                    + " time (the stages are in the VirtualService, default 5, 25, 50, 100).")
    static final class CanaryStep implements Callable<Integer> {
        @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        @Option(names = "--to", required = true, paramLabel = "N", description = "the canary's share in percent")
        int to;

        @Option(names = "--force", description = "allow a share that skips stages or is no stage")
        boolean force;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Path file = target.resolve();
            Canary.Step step = Canary.promote(read(file), to, force);
            Files.writeString(file, step.yaml(), StandardCharsets.UTF_8);
            report(spec, file, step);
            return OK;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Returns all traffic of a rollout to the stable version (the canary's share becomes 0).")
    static final class Rollback implements Callable<Integer> {
        @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Path file = target.resolve();
            Canary.Step step = Canary.rollback(read(file));
            Files.writeString(file, step.yaml(), StandardCharsets.UTF_8);
            report(spec, file, step);
            return OK;
        }
    }

    private static String read(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot read " + file, e);
        }
    }

    private static void report(CommandLine.Model.CommandSpec spec, Path file, Canary.Step step) {
        PrintWriter w = spec.commandLine().getOut();
        w.println("aegis-mesh: canary " + step.from() + "% -> " + step.to() + "% in " + file
                + " (apply it: kubectl apply -f " + file + ")");
        w.flush();
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Checks generated files against the published Istio and Kong schemas with validate-mesh-config:"
                    + " the given files or directories, or what --service/--env generates.")
    static final class Validate implements Callable<Integer> {
        @Parameters(paramLabel = "PATH", arity = "0..*", description = "generated files or directories")
        List<Path> paths = new ArrayList<>();

        @CommandLine.ArgGroup(exclusive = false)
        DescriptionOptions description;

        @Option(names = "--tool", paramLabel = "FILE", description = "the validator (default: $AEGIS_MESH_VALIDATOR, else"
                + " shared/tools/validate-mesh-config beside the project)")
        Path tool;

        @Option(names = "--kong-enterprise", description = "accept Kong Enterprise plugins")
        boolean enterprise;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            List<Path> targets = new ArrayList<>(paths);
            Path temp = null;
            if (description != null) {
                temp = Files.createTempDirectory("aegis-mesh-validate");
                MeshGenerator.generate(description.load()).write(temp);
                for (String dir : List.of("istio", "kong", "kubernetes")) {
                    if (Files.isDirectory(temp.resolve(dir))) {
                        targets.add(temp.resolve(dir));
                    }
                }
            }
            if (targets.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "nothing to validate: give PATHs or --service and --env");
            }
            MeshValidator validator;
            try {
                validator = tool != null ? MeshValidator.at(tool) : MeshValidator.locate(Path.of(""));
            } catch (IllegalStateException e) {
                throw new ToolMissing(e.getMessage());
            }
            MeshValidator.Result result;
            try {
                result = validator.run(targets, enterprise);
            } finally {
                if (temp != null) {
                    deleteTree(temp);
                }
            }
            PrintWriter w = spec.commandLine().getOut();
            w.print(result.output());
            w.flush();
            if (result.exitCode() == 2) {
                throw new ToolMissing("validate-mesh-config cannot run (missing schemas or python3 modules yaml, jsonschema):"
                        + " " + result.output().lines().reduce((a, b) -> b).orElse(""));
            }
            return result.passed() ? OK : INVALID_CONFIG;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Command(name = "serve-ext-authz", mixinStandardHelpOptions = true,
            description = "Runs the Envoy ext_authz HTTP service with the service's configuration (MicroProfile Config:"
                    + " aegis.* keys from system properties, environment variables, aegis.config.file).")
    static final class ServeExtAuthz implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "a properties file (sets aegis.config.file)")
        Path config;

        @Option(names = "--port", paramLabel = "N", description = "the port (overrides aegis.ext-authz.port, default 9191;"
                + " 0 for any free one)")
        Integer port;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (config != null) {
                if (!Files.isReadable(config)) {
                    throw new IOException("cannot read " + config);
                }
                System.setProperty(AegisConfig.CONFIG_FILE, config.toString());
            }
            ExtAuthzSettings settings = ExtAuthzSettings.from(AegisConfig.load());
            if (port != null) {
                settings = settings.withPort(port);
            }
            AegisGateway gateway = AegisGateway.builder().config(AegisConfig::load).knownKeyPrefixes("aegis.ext-authz.")
                    .build();
            ExtAuthzServer server;
            try {
                server = ExtAuthzServer.start(gateway, settings);
            } catch (IOException e) {
                gateway.close();
                throw new IOException("cannot listen on " + settings.host() + ":" + settings.port(), e);
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                gateway.close();
                stopped.countDown();
            }, "shutdown"));
            PrintWriter w = spec.commandLine().getOut();
            w.println("aegis-mesh: ext_authz for " + gateway.policy().name() + " on port " + server.port());
            w.flush();
            stopped.await();
            return OK;
        }
    }
}
