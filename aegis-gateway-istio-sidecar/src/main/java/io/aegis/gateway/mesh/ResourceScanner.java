package io.aegis.gateway.mesh;

import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds the JAX-RS root resources (concrete classes annotated {@code @Path}) among compiled
 * classes: directories of {@code .class} files or jars. Only class files that mention
 * {@code jakarta/ws/rs/Path} are loaded (without being initialized), so unrelated classes with
 * missing dependencies do not matter; a candidate that cannot be loaded is an error, never
 * silently skipped.
 *
 * <p>Close it when the routes have been read: it holds the class loader of the scanned classes.
 * Not thread-safe.
 */
@UnstableApi
public final class ResourceScanner implements AutoCloseable {

    private static final byte[] PATH_DESCRIPTOR = "jakarta/ws/rs/Path".getBytes(StandardCharsets.UTF_8);

    private final URLClassLoader loader;
    private final List<java.nio.file.Path> entries;
    private final List<String> packages;

    /**
     * @param classpath directories and jars holding the compiled classes
     * @param packages package prefixes to look in (empty: every package)
     * @throws MeshConfigException when an entry does not exist
     */
    public ResourceScanner(List<java.nio.file.Path> classpath, List<String> packages) {
        this.entries = List.copyOf(classpath);
        this.packages = List.copyOf(packages);
        List<URL> urls = new ArrayList<>();
        for (java.nio.file.Path p : entries) {
            if (!Files.exists(p)) {
                throw new MeshConfigException("policy.classpath", "'" + p + "' does not exist (expected: a directory of"
                        + " compiled classes or a jar; build the service first)");
            }
            try {
                urls.add(p.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new MeshConfigException("policy.classpath", "'" + p + "' (expected: a file path)", e);
            }
        }
        this.loader = new URLClassLoader("aegis-mesh-scan", urls.toArray(new URL[0]), ResourceScanner.class.getClassLoader());
    }

    /**
     * The root resource classes, sorted by name.
     *
     * @throws MeshConfigException when a candidate class cannot be loaded
     */
    public List<Class<?>> resources() {
        TreeSet<String> names = new TreeSet<>();
        for (java.nio.file.Path p : entries) {
            try {
                if (Files.isDirectory(p)) {
                    try (Stream<java.nio.file.Path> files = Files.walk(p)) {
                        for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
                            String rel = p.relativize(f).toString().replace('\\', '/');
                            if (candidate(rel)) {
                                try (InputStream in = Files.newInputStream(f)) {
                                    addIfAnnotated(names, rel, in);
                                }
                            }
                        }
                    }
                } else {
                    try (JarFile jar = new JarFile(p.toFile())) {
                        Enumeration<JarEntry> all = jar.entries();
                        while (all.hasMoreElements()) {
                            JarEntry e = all.nextElement();
                            if (!e.isDirectory() && candidate(e.getName())) {
                                try (InputStream in = jar.getInputStream(e)) {
                                    addIfAnnotated(names, e.getName(), in);
                                }
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p, e);
            }
        }
        List<Class<?>> out = new ArrayList<>();
        for (String name : names) {
            Class<?> c;
            try {
                c = Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new MeshConfigException("policy.classpath", "class " + name + " cannot be loaded: " + e
                        + " (expected: the classes it needs on the classpath too)", e);
            }
            if (c.isAnnotationPresent(Path.class) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())) {
                out.add(c);
            }
        }
        return out;
    }

    private boolean candidate(String relativePath) {
        if (!relativePath.endsWith(".class") || relativePath.endsWith("module-info.class")
                || relativePath.endsWith("package-info.class") || relativePath.startsWith("META-INF/")) {
            return false;
        }
        String name = relativePath.substring(0, relativePath.length() - ".class".length()).replace('/', '.');
        return packages.isEmpty() || packages.stream().anyMatch(pkg -> name.startsWith(pkg + "."));
    }

    private static void addIfAnnotated(TreeSet<String> names, String relativePath, InputStream in) throws IOException {
        byte[] bytes = in.readAllBytes();
        if (contains(bytes, PATH_DESCRIPTOR)) {
            names.add(relativePath.substring(0, relativePath.length() - ".class".length()).replace('/', '.'));
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() {
        try {
            loader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
