/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.tests.model;

import static io.hvdbg.debug.tests.model.DebugSessions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfigurationType;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.Launch;
import org.eclipse.debug.core.model.IRegister;
import org.eclipse.debug.core.model.IRegisterGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmConfig;
import io.hvdbg.debug.core.breakpoints.ExitReasonBreakpoint;
import io.hvdbg.debug.core.launch.RemoteStubLaunchDelegate;
import io.hvdbg.debug.core.launch.RemoteStubSettings;
import io.hvdbg.debug.core.model.StubConsoleProcess;
import io.hvdbg.debug.core.model.VcpuStackFrame;
import io.hvdbg.debug.core.model.VcpuThread;
import io.hvdbg.debug.core.model.VmDebugTarget;
import io.hvdbg.debug.tests.ScriptedMachines;
import io.hvdbg.rsp.GdbStub;
import io.hvdbg.rsp.server.GdbEndpoint;
import io.hvdbg.rsp.server.GdbServer;
import io.hvdbg.rsp.server.PacketTable;
import io.hvdbg.rsp.server.StandardPackets;

/**
 * The "GDB Remote Stub" launch type: against a stub with only the standard packets (as QEMU's
 * -s) the standard parts work and the hypervisor features are off with an explanation; a stub
 * that goes away ends the launch cleanly; bad values are messages, not exceptions.
 */
class RemoteStubDebugTest {
    @TempDir
    Path dir;

    private VirtualMachine vm;
    private GdbServer server;
    private Launch launch;

    @AfterEach
    void tearDown() throws Exception {
        if (launch != null && launch.getDebugTarget() != null && !launch.getDebugTarget().isTerminated()) {
            launch.getDebugTarget().terminate();
            await("the session ends", () -> launch.getDebugTarget().isTerminated());
        }
        if (server != null) {
            server.close();
        }
        if (vm != null) {
            vm.terminate();
        }
    }

    private VirtualMachine scriptedGuest(int status, String output) throws Exception {
        Path k = dir.resolve("guest.script");
        Files.writeString(k, "status " + status + "\n" + output);
        vm = ScriptedMachines.factory(Architecture.X86_64).create(VmConfig.defaults(Architecture.X86_64).withKernel(k));
        vm.start();
        return vm;
    }

    private static ILaunchConfigurationWorkingCopy config(RemoteStubSettings s) throws CoreException {
        ILaunchConfigurationType t = DebugPlugin.getDefault().getLaunchManager()
                .getLaunchConfigurationType(RemoteStubSettings.LAUNCH_TYPE_ID);
        assertNotNull(t, "launch type " + RemoteStubSettings.LAUNCH_TYPE_ID);
        ILaunchConfigurationWorkingCopy wc = t.newInstance(null, "remote");
        s.applyTo(wc);
        return wc;
    }

    private VmDebugTarget attach(int port) throws CoreException {
        ILaunchConfigurationWorkingCopy wc = config(new RemoteStubSettings("127.0.0.1", port, "auto", "", true));
        launch = new Launch(wc, ILaunchManager.DEBUG_MODE, null);
        new RemoteStubLaunchDelegate().launch(wc, ILaunchManager.DEBUG_MODE, launch, new NullProgressMonitor());
        return assertInstanceOf(VmDebugTarget.class, launch.getDebugTarget());
    }

    @Test
    void withoutHvdbgExtensionsStandardDebuggingWorksAndHypervisorFeaturesAreExplained() throws Exception {
        scriptedGuest(5, "plain stub\n");
        server = GdbServer.start(vm, new GdbServer.Options(new InetSocketAddress(GdbEndpoint.LOOPBACK, 0),
                GdbServer.DEFAULT_MAX_PACKET, StandardPackets.install(new PacketTable()), null));
        VmDebugTarget target = attach(server.port());

        assertNotNull(target.hypervisorFeaturesUnavailable());
        assertTrue(target.hypervisorFeaturesUnavailable().contains("no hvdbg extensions"));
        assertTrue(target.getName().contains("[no hvdbg extensions: hypervisor features disabled]"), target.getName());
        assertFalse(target.canStepToExit());
        ExitReasonBreakpoint b = new ExitReasonBreakpoint("CPUID", "", 0, false);
        assertFalse(target.supportsBreakpoint(b));
        StubConsoleProcess p = assertInstanceOf(StubConsoleProcess.class, launch.getProcesses()[0]);
        await("the explanation on the console",
                () -> p.getStreamsProxy().getErrorStreamMonitor().getContents().contains("no hvdbg extensions"));

        VcpuThread t = target.getThreads()[0];
        await("stopped after attaching", () -> t.isSuspended() && t.getTopStackFrame() != null);
        assertTrue(t.getName().startsWith("vCPU 0 \u2014 suspended"), t.getName());
        VcpuStackFrame f = (VcpuStackFrame) t.getTopStackFrame();
        assertEquals(0x100000L, f.pc());
        List<String> groups = Arrays.stream(f.getRegisterGroups()).map(g -> {
            try {
                return g.getName();
            } catch (DebugException e) {
                throw new AssertionError(e);
            }
        }).toList();
        assertEquals(List.of("General"), groups);
        IRegisterGroup general = f.getRegisterGroups()[0];
        IRegister rcx = Arrays.stream(general.getRegisters()).filter(r -> {
            try {
                return r.getName().equals("rcx");
            } catch (DebugException e) {
                return false;
            }
        }).findFirst().orElseThrow();
        assertEquals("0x00000000000003f8", rcx.getValue().getValueString());

        target.resume();
        await("the guest ends", target::isTerminated);
        assertEquals("the guest exited with status 5", target.endReason());
        await("the console process ends", p::isTerminated);
    }

    @Test
    void aStubThatDisconnectsEndsTheLaunchCleanly() throws Exception {
        scriptedGuest(0, "x\n");
        server = GdbStub.start(vm, "0", null);
        VmDebugTarget target = attach(server.port());
        assertTrue(target.hasHypervisorFeatures());
        VcpuThread t = target.getThreads()[0];
        await("stopped after attaching", () -> t.isSuspended() && t.getTopStackFrame() != null);

        server.close();
        await("the session ends", target::isTerminated);
        assertTrue(target.endReason().startsWith("stub disconnected"), target.endReason());
        assertTrue(launch.isTerminated());
        StubConsoleProcess p = (StubConsoleProcess) launch.getProcesses()[0];
        assertTrue(p.getStreamsProxy().getErrorStreamMonitor().getContents().contains("connection to the GDB stub closed"),
                p.getStreamsProxy().getErrorStreamMonitor().getContents());
    }

    @Test
    void badValuesAreMessages() throws Exception {
        assertEquals("Port must be 1-65535, not 0.", new RemoteStubSettings("localhost", 0, "auto", "", true).validate());
        assertEquals("Enter the host of the GDB stub (e.g. localhost for QEMU -s).",
                new RemoteStubSettings(" ", 1234, "auto", "", true).validate());
        assertEquals("Architecture must be auto, x86_64 or riscv64, not 'mips'.",
                new RemoteStubSettings("localhost", 1234, "mips", "", true).validate());
        assertEquals(null, RemoteStubSettings.defaults().validate());

        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, GdbEndpoint.LOOPBACK)) {
            closedPort = s.getLocalPort();
        }
        ILaunchConfigurationWorkingCopy wc = config(new RemoteStubSettings("127.0.0.1", closedPort, "auto", "", true));
        Launch l = new Launch(wc, ILaunchManager.DEBUG_MODE, null);
        CoreException e = assertThrows(CoreException.class,
                () -> new RemoteStubLaunchDelegate().launch(wc, ILaunchManager.DEBUG_MODE, l, null));
        assertTrue(e.getMessage().startsWith("Cannot attach to the GDB stub at 127.0.0.1:" + closedPort + ": "),
                e.getMessage());
        assertEquals(null, l.getDebugTarget());

        ILaunchConfigurationWorkingCopy bad = config(new RemoteStubSettings("127.0.0.1", 70000, "auto", "", true));
        e = assertThrows(CoreException.class,
                () -> new RemoteStubLaunchDelegate().launch(bad, ILaunchManager.DEBUG_MODE, l, null));
        assertEquals("remote: Port must be 1-65535, not 70000.", e.getMessage());

        assertEquals("Condition: condition 'leaf' is not key=value (keys: port, msr, leaf, gpa, ext, fid, cr).",
                ExitReasonBreakpoint.validate("CPUID", "leaf", 0));
        assertTrue(ExitReasonBreakpoint.validate("", "", 0).startsWith("Choose the exit reason"));
        assertEquals("Hit count must be 0 (every hit) or more, not -1.", ExitReasonBreakpoint.validate("IO", "", -1));
        e = assertThrows(CoreException.class, () -> new ExitReasonBreakpoint("IO", "port=zz", 0, false));
        assertTrue(e.getMessage().contains("'zz' is not a number"), e.getMessage());
    }
}
