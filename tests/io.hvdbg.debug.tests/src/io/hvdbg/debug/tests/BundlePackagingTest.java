/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Enumeration;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;

import io.hvdbg.debug.core.launch.VmLaunchDelegate;

/**
 * The built bundles as OSGi sees them: every package with classes is exported (packages keep
 * being added: releng/scripts/sync-exports fixes the manifests), the core bundles import nothing
 * from Eclipse and run on Java 21, and the guest images ship without their sources.
 */
class BundlePackagingTest {
    private static final Set<String> PLAIN = Set.of("io.hvdbg.core", "io.hvdbg.x86", "io.hvdbg.riscv", "io.hvdbg.rsp",
            "io.hvdbg.guests", "io.hvdbg.cli");

    static Bundle bundle(String symbolicName) {
        BundleContext ctx = FrameworkUtil.getBundle(VmLaunchDelegate.class).getBundleContext();
        for (Bundle b : ctx.getBundles()) {
            if (b.getSymbolicName().equals(symbolicName)) {
                return b;
            }
        }
        throw new AssertionError("bundle " + symbolicName + " is not in the test runtime");
    }

    /** Packages holding classes in the bundle itself (attached fragments excluded). */
    static Set<String> packagesWithClasses(Bundle b) {
        Set<String> out = new TreeSet<>();
        collect(b, "/", out);
        return out;
    }

    private static void collect(Bundle b, String path, Set<String> out) {
        Enumeration<String> e = b.getEntryPaths(path);
        while (e != null && e.hasMoreElements()) {
            String p = e.nextElement();
            if (p.endsWith("/")) {
                if (!p.startsWith("META-INF") && !p.startsWith("OSGI-INF")) {
                    collect(b, p, out);
                }
            } else if (p.endsWith(".class")) {
                int slash = p.lastIndexOf('/');
                out.add(slash < 0 ? "" : p.substring(0, slash).replace('/', '.'));
            }
        }
    }

    static Set<String> exportedPackages(Bundle b) {
        Set<String> out = new TreeSet<>();
        String header = b.getHeaders("").get(Constants.EXPORT_PACKAGE);
        if (header != null) {
            for (String clause : header.split(",")) {
                out.add(clause.split(";")[0].trim());
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"io.hvdbg.core", "io.hvdbg.x86", "io.hvdbg.riscv", "io.hvdbg.rsp", "io.hvdbg.guests",
            "io.hvdbg.cli", "io.hvdbg.debug.core", "io.hvdbg.debug.ui"})
    void everyPackageWithClassesIsExported(String name) {
        Bundle b = bundle(name);
        Set<String> classes = packagesWithClasses(b);
        Set<String> exported = exportedPackages(b);
        assertFalse(classes.isEmpty(), name + " has no classes");
        assertEquals(classes, exported, name + ": packages with classes vs Export-Package"
                + " (run releng/scripts/sync-exports to fix the manifest)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"io.hvdbg.core", "io.hvdbg.x86", "io.hvdbg.riscv", "io.hvdbg.rsp", "io.hvdbg.guests",
            "io.hvdbg.cli"})
    void coreBundlesImportNothingFromEclipseAndRunOnJava21(String name) {
        assertTrue(PLAIN.contains(name));
        Bundle b = bundle(name);
        for (String h : new String[] {Constants.REQUIRE_BUNDLE, Constants.IMPORT_PACKAGE, Constants.DYNAMICIMPORT_PACKAGE}) {
            String v = b.getHeaders("").get(h);
            assertTrue(v == null || !v.contains("org.eclipse"), name + " " + h + ": " + v);
        }
        // Tycho turns Bundle-RequiredExecutionEnvironment into the equivalent osgi.ee requirement.
        String ee = b.getHeaders("").get(Constants.REQUIRE_CAPABILITY);
        assertNotNull(ee, name + " declares no execution environment");
        assertTrue(ee.contains("(osgi.ee=JavaSE)(version=21)"), name + " must require JavaSE 21: " + ee);
        assertTrue(b.getState() >= Bundle.RESOLVED, name + " is not resolved");
    }

    @Test
    void guestImagesShipWithoutTheirSources() {
        Bundle g = bundle("io.hvdbg.guests");
        assertNotNull(g.getEntry("images/"), "images/ must be in the bundle");
        assertNull(g.getEntry("sources/"), "sources/ must not ship");
        assertNull(g.getEntry("build-guests.sh"), "the rebuild script must not ship");
    }

    @Test
    void debugUiContributesItsPluginXmlAndIcons() {
        Bundle ui = bundle("io.hvdbg.debug.ui");
        assertNotNull(ui.getEntry("plugin.xml"));
        assertNotNull(ui.getEntry("icons/vcpu_state.png"));
        assertNotNull(ui.getEntry("plugin_customization.ini"));
        assertNotNull(bundle("io.hvdbg.debug.core").getEntry("plugin.xml"));
    }
}
