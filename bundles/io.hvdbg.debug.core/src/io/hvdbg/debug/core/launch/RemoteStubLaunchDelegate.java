/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.core.launch;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.model.LaunchConfigurationDelegate;

import io.hvdbg.core.loader.ElfImage;
import io.hvdbg.debug.core.HvdbgDebugCore;
import io.hvdbg.debug.core.model.StubConsoleProcess;
import io.hvdbg.debug.core.model.VmDebugTarget;
import io.hvdbg.rsp.client.RspClient;

/**
 * Attaches the debug model to a GDB stub that is already listening: hvdbg's own
 * ({@code hvdbg run --gdb PORT}) with all hypervisor features, or another one (QEMU
 * {@code -s}) with the standard ones and an explanation of what is off.
 */
public class RemoteStubLaunchDelegate extends LaunchConfigurationDelegate {

    @Override
    public void launch(ILaunchConfiguration configuration, String mode, ILaunch launch, IProgressMonitor monitor)
            throws CoreException {
        RemoteStubSettings s = RemoteStubSettings.from(configuration);
        String problem = s.validate();
        if (problem != null) {
            throw HvdbgDebugCore.coreException(configuration.getName() + ": " + problem);
        }
        ElfImage symbols = DebugSymbols.load(s.symbols(), null);
        String where = s.host().trim() + ":" + s.port();
        RspClient client;
        try {
            client = RspClient.connect(new InetSocketAddress(s.host().trim(), s.port()),
                    new RspClient.Options(Duration.ofSeconds(5), Duration.ofSeconds(30), 64 << 20, true));
        } catch (IOException e) {
            throw HvdbgDebugCore.coreException("Cannot attach to the GDB stub at " + where + ": " + e.getMessage());
        }
        VmDebugTarget target = new VmDebugTarget(launch, client, configuration.getName() + " [GDB stub " + where + "]",
                symbols, null);
        StubConsoleProcess process = new StubConsoleProcess(launch, target, "Guest console (" + where + ")");
        target.setProcess(process);
        launch.addDebugTarget(target);
        try {
            target.start(s.stopAtEntry());
            if (target.hvdbg() != null) {
                target.hvdbg().setConsoleForwarding(true);
            }
        } catch (IOException e) {
            process.message("hvdbg: the stub does not forward the guest console: " + e.getMessage());
        } catch (CoreException e) {
            target.terminate();
            throw e;
        }
    }

    @Override
    public boolean buildForLaunch(ILaunchConfiguration configuration, String mode, IProgressMonitor monitor) {
        return false;
    }
}
