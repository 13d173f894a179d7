/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.core.launch;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

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
import io.hvdbg.core.loader.ImageFormatException;
import io.hvdbg.debug.core.HvdbgDebugCore;
import io.hvdbg.debug.core.model.VmProcess;

/**
 * Launches an "hvdbg Virtual Machine" configuration: boots the guest image in the embedded core
 * (the architecture's {@link MachineFactory}) and shows it as a process with its console.
 *
 * <p>Run mode is complete. Debug mode needs the debug model over the GDB remote stub
 * (io.hvdbg.rsp); until that is in, it says so instead of starting a guest nobody can stop.
 */
public class VmLaunchDelegate extends LaunchConfigurationDelegate {

    @Override
    public void launch(ILaunchConfiguration configuration, String mode, ILaunch launch, IProgressMonitor monitor)
            throws CoreException {
        SubMonitor progress = SubMonitor.convert(monitor, "Starting " + configuration.getName(), 3);
        VmLaunchSettings settings = VmLaunchSettings.from(configuration);
        String problem = settings.validate();
        if (problem != null) {
            throw HvdbgDebugCore.coreException(configuration.getName() + ": " + problem);
        }
        Path kernel = resolveImage(settings.kernel());
        progress.worked(1);
        if (ILaunchManager.DEBUG_MODE.equals(mode)) {
            throw HvdbgDebugCore.coreException("Debugging an hvdbg virtual machine needs the debug model over the GDB"
                    + " remote stub (io.hvdbg.rsp), which is not yet available in this build; use Run instead.");
        }
        VirtualMachine vm = createMachine(settings.parsedArchitecture(), settings.toVmConfig(kernel));
        progress.worked(1);
        if (progress.isCanceled()) {
            vm.terminate();
            return;
        }
        new VmProcess(launch, vm, configuration.getName() + " [" + settings.parsedArchitecture().cliName() + ", "
                + kernel.getFileName() + "]").start();
        progress.worked(1);
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
