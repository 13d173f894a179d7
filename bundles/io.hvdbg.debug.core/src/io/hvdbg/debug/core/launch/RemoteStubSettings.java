/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.core.launch;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;

import io.hvdbg.core.Architecture;
import io.hvdbg.debug.core.HvdbgDebugCore;

/**
 * The attributes of a "GDB Remote Stub" launch configuration (QEMU started with {@code -s},
 * {@code hvdbg run --gdb PORT}, gdbserver …), validated in one place for the tab and the delegate.
 *
 * @param host         host name or address of the stub
 * @param port         its TCP port
 * @param architecture {@code x86_64}, {@code riscv64}, or {@code auto} (from the target description)
 * @param symbols      optional ELF with the guest's symbols (may contain string variables)
 * @param stopAtEntry  stay stopped after attaching (else resume at once)
 */
public record RemoteStubSettings(String host, int port, String architecture, String symbols, boolean stopAtEntry) {
    public static final String LAUNCH_TYPE_ID = "io.hvdbg.debug.launchType.remoteStub";

    public static final String ATTR_HOST = HvdbgDebugCore.PLUGIN_ID + ".remote.host";
    public static final String ATTR_PORT = HvdbgDebugCore.PLUGIN_ID + ".remote.port";
    public static final String ATTR_ARCH = HvdbgDebugCore.PLUGIN_ID + ".remote.arch";
    public static final String ATTR_SYMBOLS = HvdbgDebugCore.PLUGIN_ID + ".remote.symbols";
    public static final String ATTR_STOP_AT_ENTRY = HvdbgDebugCore.PLUGIN_ID + ".remote.stopAtEntry";

    public static final String AUTO = "auto";

    public static RemoteStubSettings defaults() {
        return new RemoteStubSettings("localhost", 1234, AUTO, "", true);
    }

    public static RemoteStubSettings from(ILaunchConfiguration c) throws CoreException {
        RemoteStubSettings d = defaults();
        return new RemoteStubSettings(c.getAttribute(ATTR_HOST, d.host()), c.getAttribute(ATTR_PORT, d.port()),
                c.getAttribute(ATTR_ARCH, d.architecture()), c.getAttribute(ATTR_SYMBOLS, d.symbols()),
                c.getAttribute(ATTR_STOP_AT_ENTRY, d.stopAtEntry()));
    }

    public void applyTo(ILaunchConfigurationWorkingCopy c) {
        c.setAttribute(ATTR_HOST, host);
        c.setAttribute(ATTR_PORT, port);
        c.setAttribute(ATTR_ARCH, architecture);
        c.setAttribute(ATTR_SYMBOLS, symbols);
        c.setAttribute(ATTR_STOP_AT_ENTRY, stopAtEntry);
    }

    /** What is wrong, as the tab shows it; null if nothing. */
    public String validate() {
        if (host == null || host.isBlank()) {
            return "Enter the host of the GDB stub (e.g. localhost for QEMU -s).";
        }
        if (host.trim().chars().anyMatch(Character::isWhitespace) || host.contains("/")) {
            return "Host '" + host + "' is not a host name or address.";
        }
        if (port < 1 || port > 65535) {
            return "Port must be 1-65535, not " + port + ".";
        }
        if (architecture == null || !(AUTO.equals(architecture) || Architecture.parse(architecture) != null)) {
            return "Architecture must be auto, x86_64 or riscv64, not '" + architecture + "'.";
        }
        return null;
    }
}
