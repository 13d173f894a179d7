/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.tests.model;

import static io.hvdbg.debug.tests.model.DebugSessions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.Launch;
import org.eclipse.debug.core.model.MemoryByte;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hvdbg.debug.core.breakpoints.ExitReasonBreakpoint;
import io.hvdbg.debug.core.launch.RemoteStubLaunchDelegate;
import io.hvdbg.debug.core.launch.RemoteStubSettings;
import io.hvdbg.debug.core.model.VcpuStackFrame;
import io.hvdbg.debug.core.model.VcpuThread;
import io.hvdbg.debug.core.model.VmDebugTarget;
import io.hvdbg.debug.tests.model.DebugSessions.SuspendRecorder;
import io.hvdbg.guests.GuestImages;
import io.hvdbg.rsp.server.GdbEndpoint;

/**
 * The "GDB Remote Stub" launch against QEMU's own gdbstub ({@code -S -gdb tcp:…}, what
 * {@code -s} sets up): a stub without hvdbg's extensions. Standard debugging works, the
 * hypervisor features say why they are off, and QEMU ending (the guest writes the debug-exit
 * port) ends the launch cleanly. Skipped when qemu-system-x86_64 is not installed.
 */
class QemuStubDebugTest {
    private Process qemu;
    private Launch launch;
    private SuspendRecorder events;

    @AfterEach
    void tearDown() throws Exception {
        if (events != null) {
            events.close();
        }
        if (launch != null && launch.getDebugTarget() != null && !launch.getDebugTarget().isTerminated()) {
            launch.getDebugTarget().terminate();
        }
        if (qemu != null) {
            qemu.destroyForcibly();
            qemu.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String findQemu() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "qemu-system-x86_64");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    @Test
    void qemuGdbstubDebugsWithoutHypervisorFeaturesAndItsEndEndsTheLaunch() throws Exception {
        String exe = findQemu();
        assumeTrue(exe != null, "qemu-system-x86_64 is not installed");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, GdbEndpoint.LOOPBACK)) {
            port = s.getLocalPort();
        }
        Path kernel = GuestImages.extract("x86_64/demo.elf");
        qemu = new ProcessBuilder(List.of(exe, "-M", "pc", "-m", "64", "-kernel", kernel.toString(), "-device",
                "isa-debug-exit,iobase=0xf4,iosize=4", "-serial", "stdio", "-display", "none", "-no-reboot",
                "-nodefaults", "-S", "-gdb", "tcp:127.0.0.1:" + port)).redirectErrorStream(true).start();
        qemu.getOutputStream().close();

        ILaunchConfigurationWorkingCopy wc = DebugPlugin.getDefault().getLaunchManager()
                .getLaunchConfigurationType(RemoteStubSettings.LAUNCH_TYPE_ID).newInstance(null, "qemu");
        new RemoteStubSettings("127.0.0.1", port, "x86_64", "", true).applyTo(wc);
        events = new SuspendRecorder();
        // QEMU needs a moment to listen; until then the launch says it cannot attach.
        long deadline = System.currentTimeMillis() + DebugSessions.TIMEOUT_MS;
        while (true) {
            launch = new Launch(wc, ILaunchManager.DEBUG_MODE, null);
            try {
                new RemoteStubLaunchDelegate().launch(wc, ILaunchManager.DEBUG_MODE, launch, new NullProgressMonitor());
                break;
            } catch (CoreException e) {
                assertTrue(e.getMessage().startsWith("Cannot attach to the GDB stub at 127.0.0.1:" + port),
                        e.getMessage());
                assertTrue(System.currentTimeMillis() < deadline && qemu.isAlive(), "QEMU never listened: " + e.getMessage());
                Thread.sleep(100);
            }
        }
        VmDebugTarget target = assertInstanceOf(VmDebugTarget.class, launch.getDebugTarget());
        assertFalse(target.hasHypervisorFeatures());
        assertTrue(target.hypervisorFeaturesUnavailable().contains("no hvdbg extensions"));
        assertFalse(target.canStepToExit());
        assertFalse(target.supportsBreakpoint(new ExitReasonBreakpoint("CPUID", "", 0, false)));

        VcpuThread t = target.getThreads()[0];
        await("stopped after attaching", () -> t.isSuspended() && t.getTopStackFrame() != null);
        assertTrue(t.getName().startsWith("vCPU 0 \u2014 suspended"), t.getName());
        VcpuStackFrame f = (VcpuStackFrame) t.getTopStackFrame();
        assertEquals(0xfff0L, f.pc(), "QEMU -S stops at the reset vector");
        List<String> groups = Arrays.stream(f.getRegisterGroups()).map(g -> {
            try {
                return g.getName();
            } catch (DebugException e) {
                throw new AssertionError(e);
            }
        }).toList();
        assertTrue(groups.containsAll(List.of("General", "Segment", "Floating point", "Vector")), groups.toString());

        await("the stop-at-attach event", () -> events.count() > 0);
        events.runAndAwaitSuspend("an instruction step in QEMU", t::stepInto);
        VcpuStackFrame after = (VcpuStackFrame) t.getTopStackFrame();
        assertEquals("vCPU 0 \u2014 suspended: step", t.getName());
        assertNotEquals(0xfff0L, after.pc(), "the reset vector's far jump was executed");
        MemoryByte[] b = target.getMemoryBlock(0, 16).getBytes().length == 16
                ? target.getExtendedMemoryBlock("0", t).getBytesFromAddress(BigInteger.ZERO, 16) : null;
        assertTrue(b != null && b[0].isReadable(), "low memory is readable through QEMU's stub");

        target.resume();
        await("QEMU ends and the launch with it", target::isTerminated);
        assertTrue(target.endReason().startsWith("stub disconnected"), target.endReason());
        assertTrue(launch.isTerminated());
        assertTrue(qemu.waitFor(30, TimeUnit.SECONDS));
        String out = new String(qemu.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out.contains("demo: PASS"), out);
        assertEquals(1, qemu.exitValue(), "the demo's pass status through isa-debug-exit");
    }
}
