/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.tests.model;

import static io.hvdbg.debug.tests.model.DebugSessions.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.Launch;
import org.eclipse.debug.core.model.IMemoryBlockExtension;
import org.eclipse.debug.core.model.IRegister;
import org.eclipse.debug.core.model.IRegisterGroup;
import org.eclipse.debug.core.model.MemoryByte;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.hvdbg.core.loader.ElfImage;
import io.hvdbg.debug.core.breakpoints.ExitReasonBreakpoint;
import io.hvdbg.debug.core.launch.VmLaunchDelegate;
import io.hvdbg.debug.core.launch.VmLaunchSettings;
import io.hvdbg.debug.core.model.IVcpuStateProvider;
import io.hvdbg.debug.core.model.VcpuRegister;
import io.hvdbg.debug.core.model.VcpuStateSnapshot;
import io.hvdbg.debug.core.model.VcpuStackFrame;
import io.hvdbg.debug.core.model.VcpuThread;
import io.hvdbg.debug.core.model.VmDebugTarget;
import io.hvdbg.debug.core.model.VmProcess;
import io.hvdbg.debug.tests.model.DebugSessions.SuspendRecorder;
import io.hvdbg.guests.GuestImages;
import io.hvdbg.rsp.ext.ExitBreakpointInfo;

/**
 * The debug model against the embedded core over loopback, with the real x86-64 and RISC-V
 * machines and their demo guests: launch in debug mode, vCPU threads, registers, memory, an
 * exit breakpoint, resume, suspend on it, step to the next exit, resume to the next exit of a
 * reason, instruction step, terminate; and a guest that ends ends the launch.
 */
class EmbeddedDebugTest {
    private Launch launch;
    private SuspendRecorder events;

    @BeforeEach
    void setUp() throws CoreException {
        DebugSessions.removeExitBreakpoints();
        events = new SuspendRecorder();
    }

    @AfterEach
    void tearDown() throws Exception {
        events.close();
        if (launch != null && launch.getDebugTarget() != null && !launch.getDebugTarget().isTerminated()) {
            launch.getDebugTarget().terminate();
            await("the session ends", () -> launch.getDebugTarget().isTerminated());
        }
        DebugSessions.removeExitBreakpoints();
    }

    private VmDebugTarget debug(String arch, boolean stopAtEntry) throws Exception {
        Path image = GuestImages.extract(arch + "/demo.elf");
        ILaunchConfigurationWorkingCopy wc = DebugPlugin.getDefault().getLaunchManager()
                .getLaunchConfigurationType(VmLaunchSettings.LAUNCH_TYPE_ID).newInstance(null, "debug-" + arch);
        new VmLaunchSettings(arch, image.toString(), 64, 1, "intel").applyTo(wc);
        wc.setAttribute(VmLaunchDelegate.ATTR_STOP_AT_ENTRY, stopAtEntry);
        launch = new Launch(wc, ILaunchManager.DEBUG_MODE, null);
        new VmLaunchDelegate().launch(wc, ILaunchManager.DEBUG_MODE, launch, new NullProgressMonitor());
        return assertInstanceOf(VmDebugTarget.class, launch.getDebugTarget());
    }

    private static List<String> groupNames(VcpuStackFrame f) {
        return Arrays.stream(f.getRegisterGroups()).map(g -> {
            try {
                return g.getName();
            } catch (DebugException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    private static VcpuRegister register(VcpuStackFrame f, String name) throws DebugException {
        for (IRegisterGroup g : f.getRegisterGroups()) {
            for (IRegister r : g.getRegisters()) {
                if (r.getName().equals(name)) {
                    return (VcpuRegister) r;
                }
            }
        }
        throw new AssertionError("no register " + name);
    }

    private static long value(VcpuStackFrame f, String name) throws DebugException {
        return register(f, name).unsignedValue().longValue();
    }

    @Test
    void x86GuestStopsAtACpuidExitBreakpointStepsThroughExitsAndEndsWithItsStatus() throws Exception {
        ExitReasonBreakpoint cpuid = new ExitReasonBreakpoint("CPUID", "", 0, true);
        VmDebugTarget target = debug("x86_64", true);
        assertTrue(target.hasHypervisorFeatures(), "hvdbg's own stub has the extensions");
        VcpuThread[] threads = target.getThreads();
        assertEquals(1, threads.length);
        VcpuThread t = threads[0];
        await("stopped at entry", () -> t.isSuspended() && t.getTopStackFrame() != null);
        await("the suspend event of the stop at entry", () -> events.count() > 0);
        assertEquals(DebugEvent.CLIENT_REQUEST, events.lastDetail());
        assertTrue(t.getName().startsWith("vCPU 0 \u2014 suspended"), t.getName());
        await("the CPUID breakpoint is installed in the stub", () -> target.installedBreakpointCount() == 1);

        // One instruction from the entry point.
        long entry = ((VcpuStackFrame) t.getTopStackFrame()).pc();
        events.runAndAwaitSuspend("an instruction step", t::stepInto);
        assertEquals(DebugEvent.STEP_END, events.lastDetail());
        assertEquals("vCPU 0 \u2014 suspended: step", t.getName());
        assertNotEquals(entry, ((VcpuStackFrame) t.getTopStackFrame()).pc());

        events.runAndAwaitSuspend("the CPUID exit breakpoint", target::resume);
        assertEquals(DebugEvent.BREAKPOINT, events.lastDetail());
        assertTrue(t.getName().matches("vCPU 0 \u2014 suspended: exit CPUID leaf 0x[0-9a-f]+.*"), t.getName());
        assertArrayEquals(new Object[] {cpuid}, t.getBreakpoints());
        VcpuStackFrame f = (VcpuStackFrame) t.getTopStackFrame();
        assertEquals(value(f, "rip"), f.pc(), "the frame stands at rip");
        assertEquals(List.of("General", "Segment", "Control/System", "MSR", "Floating point", "Vector"), groupNames(f));
        assertEquals(0x80000001L, value(f, "cr0") & 0x80000001L, "long mode: cr0.PE and cr0.PG");
        assertEquals(0x500L, value(f, "efer") & 0x500L, "IA32_EFER.LME and LMA, in the MSR group");
        assertEquals("rax", ((IRegisterGroup) f.getRegisterGroups()[0]).getRegisters()[0].getName());
        ElfImage elf = ElfImage.parse("demo", Files.readAllBytes(GuestImages.extract("x86_64/demo.elf")));
        if (elf.symbolAt(f.pc()) != null) {
            assertNotNull(f.symbol());
            assertTrue(f.getName().startsWith(f.symbol() + " at 0x"), f.getName());
        }
        // The Memory view's path: the bytes at rip are the CPUID instruction (0f a2).
        IMemoryBlockExtension mem = target.getExtendedMemoryBlock("$rip", t);
        assertEquals(BigInteger.valueOf(f.pc()), mem.getBigBaseAddress());
        MemoryByte[] at = mem.getBytesFromOffset(BigInteger.ZERO, 2);
        assertTrue(at[0].isReadable());
        assertEquals(0x0f, at[0].getValue() & 0xff);
        assertEquals(0xa2, at[1].getValue() & 0xff);

        // Step to the next VM exit: the CPUID is handled, the vCPU stops at the exit after it.
        long cpuidPc = f.pc();
        events.runAndAwaitSuspend("the next VM exit", () -> t.stepToExit(null));
        assertEquals(DebugEvent.STEP_END, events.lastDetail());
        assertTrue(t.stopText().startsWith("exit "), t.getName());
        String reason = t.lastExitReason();
        assertNotNull(reason);
        assertNotEquals(cpuidPc, ((VcpuStackFrame) t.getTopStackFrame()).pc());

        // Resume to the next exit of this reason.
        events.runAndAwaitSuspend("the next exit of " + reason, () -> t.stepToExit(reason));
        assertEquals(reason, t.lastExitReason(), t.getName());

        // Without the breakpoint the guest runs to its end; the launch ends with its status.
        DebugPlugin.getDefault().getBreakpointManager().removeBreakpoint(cpuid, true);
        await("the breakpoint is removed from the stub", () -> target.installedBreakpointCount() == 0);
        target.resume();
        await("the guest ends", target::isTerminated);
        assertEquals("the guest exited with status 1", target.endReason());
        VmProcess p = assertInstanceOf(VmProcess.class, launch.getProcesses()[0]);
        await("the process ends", p::isTerminated);
        assertEquals(1, p.getExitValue());
        assertTrue(p.getStreamsProxy().getOutputStreamMonitor().getContents().contains("demo: PASS"),
                p.getStreamsProxy().getOutputStreamMonitor().getContents());
        assertTrue(launch.isTerminated());
    }

    @Test
    void riscvGuestStopsAtAnSbiHypercallWithAConditionAndTerminates() throws Exception {
        new ExitReasonBreakpoint("HYPERCALL", "ext=DBCN", 0, true);
        VmDebugTarget target = debug("riscv64", false);
        VcpuThread t = target.getThreads()[0];
        await("the DBCN hypercall", () -> t.isSuspended() && t.stopText().startsWith("exit "));
        assertTrue(t.getName().startsWith("vCPU 0 \u2014 suspended: exit "), t.getName());
        VcpuStackFrame f = (VcpuStackFrame) t.getTopStackFrame();
        assertEquals(List.of("General", "Floating point", "CSR", "Hypervisor CSR"), groupNames(f));
        assertEquals(0x4442434EL, value(f, "a7"), "a7 holds the SBI extension id DBCN");
        assertEquals(value(f, "pc"), f.pc());
        List<String> hyp = Arrays.stream(f.getRegisterGroups()[3].getRegisters()).map(r -> {
            try {
                return r.getName();
            } catch (DebugException e) {
                throw new AssertionError(e);
            }
        }).toList();
        assertTrue(hyp.containsAll(List.of("hstatus", "hgatp", "vsatp")), hyp.toString());
        long hgatp = value(f, "hgatp");
        assertNotEquals(0L, hgatp >>> 60, "G-stage translation is on: hgatp.MODE is not Bare");

        events.runAndAwaitSuspend("the next exit", () -> t.stepToExit(null));
        assertTrue(t.stopText().startsWith("exit "), t.getName());

        target.terminate();
        await("terminated", target::isTerminated);
        assertEquals("terminated", target.endReason());
        assertEquals(0, target.getThreads().length);
        await("the process ends with the session", () -> launch.getProcesses()[0].isTerminated());
        assertTrue(launch.isTerminated());
    }

    @Test
    void hitCountStopsAtTheNthHit() throws Exception {
        new ExitReasonBreakpoint("HYPERCALL", "", 3, true);
        VmDebugTarget target = debug("riscv64", false);
        VcpuThread t = target.getThreads()[0];
        await("the third hypercall", () -> t.isSuspended() && t.stopText().startsWith("exit "));
        List<ExitBreakpointInfo> breaks = target.hvdbg().exitBreakpoints();
        assertEquals(1, breaks.size());
        assertEquals(3, breaks.get(0).hits(), "the stub counted three hits before the model stopped");
    }

    @Test
    void launchConfigurationExitBreakpointsAndTheVcpuStateOfAStop() throws Exception {
        Path image = GuestImages.extract("riscv64/demo.elf");
        ILaunchConfigurationWorkingCopy wc = DebugPlugin.getDefault().getLaunchManager()
                .getLaunchConfigurationType(VmLaunchSettings.LAUNCH_TYPE_ID).newInstance(null, "initial-breaks");
        new VmLaunchSettings("riscv64", image.toString(), 64, 1, "intel").applyTo(wc);
        wc.setAttribute(VmLaunchDelegate.ATTR_EXIT_BREAKPOINTS, List.of("", "HYPERCALL ext=DBCN"));
        launch = new Launch(wc, ILaunchManager.DEBUG_MODE, null);
        new VmLaunchDelegate().launch(wc, ILaunchManager.DEBUG_MODE, launch, new NullProgressMonitor());
        VmDebugTarget target = (VmDebugTarget) launch.getDebugTarget();
        VcpuThread t = target.getThreads()[0];
        await("the launch's own exit breakpoint", () -> t.isSuspended() && t.stopText().startsWith("exit "));
        assertEquals(0, target.installedBreakpointCount(), "no workspace breakpoint was involved");
        assertEquals(0x4442434EL, value((VcpuStackFrame) t.getTopStackFrame(), "a7"));
        // The vCPU State view's input for a vCPU of a debug session (read at the stop, not on the UI thread).
        VcpuStateSnapshot state = t.getAdapter(IVcpuStateProvider.class).vcpuState();
        assertNotNull(state);
        assertTrue(state.title().startsWith("vCPU 0 of riscv"), state.title());
        assertFalse(state.rows().isEmpty());

        ILaunchConfigurationWorkingCopy bad = wc.copy("bad-breaks");
        bad.setAttribute(VmLaunchDelegate.ATTR_EXIT_BREAKPOINTS, List.of("CPUID leaf"));
        Launch l = new Launch(bad, ILaunchManager.DEBUG_MODE, null);
        CoreException e = org.junit.jupiter.api.Assertions.assertThrows(CoreException.class,
                () -> new VmLaunchDelegate().launch(bad, ILaunchManager.DEBUG_MODE, l, null));
        assertEquals("Exit breakpoint 'CPUID leaf': Condition: condition 'leaf' is not key=value"
                + " (keys: port, msr, leaf, gpa, ext, fid, cr).", e.getMessage());
        assertEquals(null, l.getDebugTarget());
    }
}
