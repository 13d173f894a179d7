/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.core.launch;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.variables.VariablesPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.model.LaunchConfigurationDelegate;

import io.hvdbg.cli.Machines;
import io.hvdbg.core.Architecture;
import io.hvdbg.core.MachineFactory;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmConfig;
import io.hvdbg.core.loader.ElfImage;
import io.hvdbg.core.loader.ImageFormatException;
import io.hvdbg.debug.core.HvdbgDebugCore;
import io.hvdbg.debug.core.breakpoints.ExitReasonBreakpoint;
import io.hvdbg.debug.core.model.VmDebugTarget;
import io.hvdbg.debug.core.model.VmProcess;
import io.hvdbg.rsp.GdbStub;
import io.hvdbg.rsp.client.RspClient;
import io.hvdbg.rsp.server.GdbEndpoint;
import io.hvdbg.rsp.server.GdbServer;

/**
 * Launches an "hvdbg Virtual Machine" configuration: boots the guest image in the embedded core
 * (the architecture's {@link MachineFactory}) and shows it as a process with its console.
 *
 * <p>Run mode shows the guest as a process with its console. Debug mode adds hvdbg's GDB stub
 * and the debug model over it ({@link VmDebugTarget}).
 */
public class VmLaunchDelegate extends LaunchConfigurationDelegate {
    /** Debug mode: stay stopped at the first instruction (default: run until a breakpoint). */
    public static final String ATTR_STOP_AT_ENTRY = HvdbgDebugCore.PLUGIN_ID + ".stopAtEntry";
    /**
     * Debug mode: exit breakpoints of this launch only, one per entry, {@code REASON [CONDITION]}
     * (e.g. {@code CPUID leaf=7}, {@code IO port=0x3f8-0x3ff}); workspace exit breakpoints apply as well.
     */
    public static final String ATTR_EXIT_BREAKPOINTS = HvdbgDebugCore.PLUGIN_ID + ".exitBreakpoints";
    /** Debug mode: an ELF with the guest's symbols (default: the guest image itself, if it is ELF). */
    public static final String ATTR_SYMBOLS = HvdbgDebugCore.PLUGIN_ID + ".symbols";

    @Override
    public void launch(ILaunchConfiguration configuration, String mode, ILaunch launch, IProgressMonitor monitor)
            throws CoreException {
        SubMonitor progress = SubMonitor.convert(monitor, "Starting " + configuration.getName(), 3);
        VmLaunchSettings settings = VmLaunchSettings.from(configuration);
        String problem = settings.validate();
        if (problem != null) {
            throw HvdbgDebugCore.coreException(configuration.getName() + ": " + problem);
        }
        VmOptions options = VmOptions.from(configuration);
        problem = options.validate(settings);
        if (problem != null) {
            throw HvdbgDebugCore.coreException(configuration.getName() + ": " + problem);
        }
        Path kernel = resolveImage(settings.kernel());
        progress.worked(1);
        VirtualMachine vm = createMachine(settings.parsedArchitecture(), options.applyTo(settings.toVmConfig(kernel)));
        progress.worked(1);
        if (progress.isCanceled()) {
            vm.terminate();
            return;
        }
        String label = configuration.getName() + " [" + settings.parsedArchitecture().cliName() + ", "
                + kernel.getFileName() + "]";
        if (ILaunchManager.DEBUG_MODE.equals(mode)) {
            debug(configuration, launch, vm, label, kernel);
        } else {
            new VmProcess(launch, vm, label).start();
        }
        progress.worked(1);
    }

    /**
     * Debug mode: the VM runs in the embedded core with hvdbg's GDB stub on a free loopback
     * port, and the debug model connects to it like any other client (one path for gdb and the
     * IDE). The VM's console is the process console; the VM, stub and client end together.
     */
    private void debug(ILaunchConfiguration configuration, ILaunch launch, VirtualMachine vm, String label, Path kernel)
            throws CoreException {
        boolean stopAtEntry = configuration.getAttribute(ATTR_STOP_AT_ENTRY, false);
        List<String[]> initialBreakpoints = new ArrayList<>();
        for (String line : configuration.getAttribute(ATTR_EXIT_BREAKPOINTS, List.of())) {
            String[] b = parseExitBreakpoint(line);
            if (b == null) {
                continue;
            }
            String problem = ExitReasonBreakpoint.validate(b[0], b[1], 0);
            if (problem != null) {
                vm.terminate();
                throw HvdbgDebugCore.coreException("Exit breakpoint '" + line.trim() + "': " + problem);
            }
            initialBreakpoints.add(b);
        }
        ElfImage symbols = DebugSymbols.load(configuration.getAttribute(ATTR_SYMBOLS, ""), kernel);
        GdbServer server;
        RspClient client;
        try {
            server = GdbStub.start(vm, new InetSocketAddress(GdbEndpoint.LOOPBACK, 0), null);
        } catch (IOException e) {
            vm.terminate();
            throw HvdbgDebugCore.coreException("Cannot start the GDB stub for " + label + ": " + e.getMessage());
        }
        try {
            client = RspClient.connect(new InetSocketAddress(GdbEndpoint.LOOPBACK, server.port()),
                    RspClient.Options.defaults());
        } catch (IOException e) {
            server.close();
            vm.terminate();
            throw HvdbgDebugCore.coreException("Cannot connect to the embedded GDB stub: " + e.getMessage());
        }
        VmDebugTarget target = new VmDebugTarget(launch, client, label + " (stub 127.0.0.1:" + server.port() + ")",
                symbols, () -> {
                    server.close();
                    vm.terminate();
                });
        VmProcess process = new VmProcess(launch, vm, label);
        process.startDebugged(target::terminate);
        target.setProcess(process);
        target.setDisconnectAction(() -> {
            server.close();
            process.debuggerDetached();
        });
        target.addSessionExitBreakpoints(initialBreakpoints);
        target.addMessageListener(process::message);
        target.addEndListener(() -> {
            if (!target.isDisconnected()) {
                process.debugSessionEnded();
            }
        });
        launch.addDebugTarget(target);
        try {
            target.start(stopAtEntry);
        } catch (CoreException e) {
            target.terminate();
            throw e;
        }
    }

    /** {reason, condition} of a {@code REASON [CONDITION]} entry; null for a blank one. */
    public static String[] parseExitBreakpoint(String line) {
        String t = line == null ? "" : line.trim();
        if (t.isEmpty()) {
            return null;
        }
        String[] parts = t.split("\\s+", 2);
        return new String[] {parts[0], parts.length > 1 ? parts[1].trim() : ""};
    }

    /** Run configurations of a VM have no workspace projects to build first. */
    @Override
    public boolean buildForLaunch(ILaunchConfiguration configuration, String mode, IProgressMonitor monitor) {
        return false;
    }

    /** The guest image as a readable file, string variables (e.g. workspace_loc) substituted. */
    static Path resolveImage(String configured) throws CoreException {
        String expanded = VariablesPlugin.getDefault().getStringVariableManager().performStringSubstitution(configured);
        Path p;
        try {
            p = Path.of(expanded);
        } catch (InvalidPathException e) {
            throw HvdbgDebugCore.coreException("Guest image '" + expanded + "' is not a valid path.");
        }
        if (!Files.isRegularFile(p)) {
            throw HvdbgDebugCore.coreException("Guest image " + p + " does not exist or is not a file.");
        }
        if (!Files.isReadable(p)) {
            throw HvdbgDebugCore.coreException("Guest image " + p + " is not readable.");
        }
        return p;
    }

    /** The machine factory of an architecture (tests substitute one). */
    protected MachineFactory factory(Architecture architecture) {
        return Machines.factory(architecture);
    }

    /** Builds the machine; every failure becomes a message the launch dialog shows. */
    protected VirtualMachine createMachine(Architecture architecture, VmConfig config) throws CoreException {
        try {
            return factory(architecture).create(config);
        } catch (UnsupportedOperationException e) {
            throw HvdbgDebugCore.coreException(e.getMessage());
        } catch (ImageFormatException e) {
            throw HvdbgDebugCore.coreException(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw HvdbgDebugCore.coreException("Invalid machine configuration: " + e.getMessage());
        }
    }
}
