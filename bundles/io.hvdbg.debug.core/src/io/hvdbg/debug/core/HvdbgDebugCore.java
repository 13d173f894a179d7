/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.core;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Plugin;
import org.eclipse.core.runtime.Status;
import org.osgi.framework.BundleContext;

/** The io.hvdbg.debug.core plug-in: identifiers, logging and status helpers. */
public final class HvdbgDebugCore extends Plugin {
    public static final String PLUGIN_ID = "io.hvdbg.debug.core";

    private static HvdbgDebugCore plugin;

    @Override
    public void start(BundleContext context) throws Exception {
        super.start(context);
        plugin = this;
    }

    @Override
    public void stop(BundleContext context) throws Exception {
        plugin = null;
        super.stop(context);
    }

    /** The running plug-in, or null outside OSGi (plain-JVM tests). */
    public static HvdbgDebugCore getDefault() {
        return plugin;
    }

    /** An error status of this plug-in. */
    public static IStatus error(String message, Throwable cause) {
        return new Status(IStatus.ERROR, PLUGIN_ID, message, cause);
    }

    /** A CoreException whose message the launch dialog shows as is. */
    public static CoreException coreException(String message) {
        return new CoreException(error(message, null));
    }

    /** Logs to the Eclipse error log (or stderr when the plug-in is not running). */
    public static void log(IStatus status) {
        HvdbgDebugCore p = plugin;
        if (p != null) {
            p.getLog().log(status);
        } else {
            System.err.println(status);
        }
    }
}
