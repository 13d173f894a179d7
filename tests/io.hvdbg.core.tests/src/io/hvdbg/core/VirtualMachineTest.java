/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core;

import static io.hvdbg.core.ToyMachine.BOOM;
import static io.hvdbg.core.ToyMachine.EXIT;
import static io.hvdbg.core.ToyMachine.HALT;
import static io.hvdbg.core.ToyMachine.JUMP0;
import static io.hvdbg.core.ToyMachine.NOP;
import static io.hvdbg.core.ToyMachine.SHUTDOWN;
import static io.hvdbg.core.ToyMachine.STORE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.debug.WatchKind;
import io.hvdbg.core.debug.Watchpoint;
import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.core.exit.VmExit;

class VirtualMachineTest {
    private static final long TIMEOUT = 10_000;

    @Test
    void runsToShutdownRecordingEveryExit() throws Exception {
        ToyMachine vm = new ToyMachine(1, new int[] {NOP, EXIT, NOP, EXIT, EXIT, SHUTDOWN}, 0);
        StopEvent stop = vm.runUntilStop(TIMEOUT);
        assertEquals(StopReason.SHUTDOWN, stop.reason());
        assertEquals(3, vm.exitStatus(), "the toy shuts down with acc = number of EXITs handled");
        assertEquals(VirtualMachine.RunState.TERMINATED, vm.runState());
        List<VmExit> exits = vm.trace().last(10);
        assertEquals(4, exits.size());
        assertEquals(List.of(1L, 3L, 4L, 5L), exits.stream().map(VmExit::pc).toList());
        assertEquals(List.of(2L, 4L, 5L, 6L), exits.stream().map(VmExit::time).toList(),
                "guest time = instructions retired, including the exiting one");
        assertEquals(ToyMachine.TOY_SHUTDOWN, exits.get(3).reason());
        assertEquals(3, vm.statistics().count(-1, ToyMachine.TOY_EXIT));
        assertEquals(3 * 16, exits.get(1).context(), "context field survives the trace");
        assertThrows(IllegalStateException.class, vm::resume, "a terminated VM cannot resume");
    }

    @Test
    void exitBreakpointStopsBeforeTheHandlerAndResumeRunsIt() throws Exception {
        ToyMachine vm = new ToyMachine(1, new int[] {NOP, EXIT, NOP, EXIT, SHUTDOWN}, 0);
        vm.exitBreakpoints().add("CPUID", null, -1, false);
        StopEvent stop = vm.runUntilStop(TIMEOUT);
        assertEquals(StopReason.EXIT_BREAKPOINT, stop.reason());
        assertEquals(1, stop.exit().pc());
        assertEquals(0, vm.toy(0).acc, "handler has not run yet");
        assertEquals(1, vm.toy(0).pc, "vCPU stands at the exiting instruction");
        assertTrue(vm.vcpu(0).hasPendingExit());
        assertEquals(0, stop.exit().seq(), "exit recorded when the breakpoint hit");

        stop = vm.runUntilStop(TIMEOUT);
        assertEquals(StopReason.EXIT_BREAKPOINT, stop.reason());
        assertEquals(3, stop.exit().pc());
        assertEquals(1, vm.toy(0).acc, "resume ran the pending handler first");
        assertEquals(1, stop.exit().seq());
        assertEquals(2, stop.exitBreakpoint().hitCount());

        vm.exitBreakpoints().clear();
        stop = vm.runUntilStop(TIMEOUT);
        assertEquals(StopReason.SHUTDOWN, stop.reason());
        assertEquals(2, vm.exitStatus());
        assertEquals(3, vm.trace().size(), "a pending exit is recorded once, not again when handled");
    }

    @Test
    void stepExecutesOneInstructionAndStepsThroughAPendingExit() throws Exception {
        ToyMachine vm = new ToyMachine(1, new int[] {NOP, EXIT, NOP, SHUTDOWN}, 0);
        StopEvent s = vm.stepAndWait(0, TIMEOUT);
        assertEquals(StopReason.STEP, s.reason());
        assertEquals(1, vm.vcpu(0).pc());
        vm.exitBreakpoints().add("any", null, 0, true);
        s = vm.stepAndWait(0, TIMEOUT);
        assertEquals(StopReason.EXIT_BREAKPOINT, s.reason(), "stepping into an exit stops at it");
        assertTrue(vm.exitBreakpoints().all().isEmpty(), "temporary exit breakpoint deleted by its hit");
        s = vm.stepAndWait(0, TIMEOUT);
        assertEquals(StopReason.STEP, s.reason());
        assertEquals(2, vm.vcpu(0).pc(), "step from a pending exit runs its handler");
        assertEquals(1, vm.toy(0).acc);
    }

    @Test
    void stepToExitStopsAtTheNextExitOfThatVcpu() throws Exception {
        ToyMachine vm = new ToyMachine(1, new int[] {NOP, NOP, NOP, EXIT, NOP, EXIT, SHUTDOWN}, 0);
        vm.start();
        long n = vm.stopCount();
        vm.stepToExit(0, null);
        StopEvent s = vm.awaitStop(n, TIMEOUT);
        assertEquals(StopReason.EXIT_BREAKPOINT, s.reason());
        assertEquals(3, s.exit().pc());
        n = vm.stopCount();
        vm.stepToExit(0, "CPUID");
        s = vm.awaitStop(n, TIMEOUT);
        assertEquals(5, s.exit().pc());
    }

    @Test
    void breakpointStopsBeforeTheInstructionAndResumeMakesProgress() throws Exception {
        ToyMachine vm = new ToyMachine(1, new int[] {NOP, NOP, NOP, JUMP0}, 0);
        vm.breakpoints().add(2);
        StopEvent s = vm.runUntilStop(TIMEOUT);
        assertEquals(StopReason.BREAKPOINT, s.reason());
        assertEquals(2, s.address());
        long before = vm.vcpu(0).instructions();
        s = vm.runUntilStop(TIMEOUT);
        assertEquals(StopReason.BREAKPOINT, s.reason(), "loops back to the breakpoint");
        assertEquals(before + 4, vm.vcpu(0).instructions(), "resumed past the breakpoint, one lap");
    }

    @Test
    void watchpointStopsAfterTheWrite() throws Exception {
        ToyMachine vm = new ToyMachine(1, new int[] {NOP, EXIT, STORE, NOP, JUMP0}, 0);
        vm.watchpoints().add(new Watchpoint(0, 8, WatchKind.WRITE));
        StopEvent s = vm.runUntilStop(TIMEOUT);
        assertEquals(StopReason.WATCHPOINT, s.reason());
        assertEquals(3, vm.vcpu(0).pc(), "the storing instruction completed");
        assertEquals(1, vm.memory().load(0, 8));
    }

    @Test
    void pauseStopsAnEndlessLoopFromAnotherThread() throws Exception {
        ToyMachine vm = new ToyMachine(2, new int[] {NOP, NOP, JUMP0}, 0);
        vm.start();
        long n = vm.stopCount();
        vm.resume();
        Thread.sleep(50);
        vm.pause();
        StopEvent s = vm.awaitStop(n, TIMEOUT);
        assertNotNull(s);
        assertEquals(StopReason.PAUSED, s.reason());
        assertTrue(vm.vcpu(0).instructions() > 0 && vm.vcpu(1).instructions() > 0);
    }

    @Test
    void aGuestTimeLimitPausesAnEndlessLoopAtTheSamePointEveryRun() throws Exception {
        long[] first = runToGuestTimeLimit();
        long[] second = runToGuestTimeLimit();
        assertTrue(first[0] > 0, "the vCPUs ran");
        assertEquals(first[0], second[0], "same instructions retired on vCPU 0");
        assertEquals(first[1], second[1], "same instructions retired on vCPU 1");
    }

    private static long[] runToGuestTimeLimit() throws Exception {
        ToyMachine vm = new ToyMachine(2, new int[] {NOP, NOP, JUMP0}, 0);
        vm.setGuestTimeLimit(1_000_000);
        StopEvent s = vm.runUntilStop(TIMEOUT);
        assertNotNull(s, "the run did not stop at its guest-time limit");
        assertEquals(StopReason.PAUSED, s.reason());
        assertTrue(vm.clock() >= 1_000_000 && vm.clock() < 1_000_000 + VirtualMachine.QUANTUM, "clock " + vm.clock());
        long[] n = {vm.vcpu(0).instructions(), vm.vcpu(1).instructions()};
        vm.terminate();
        return n;
    }

    @Test
    void smpRunsRepeatExactly() throws Exception {
        int[] program = {NOP, EXIT, NOP, NOP, EXIT, HALT, EXIT, NOP, EXIT, SHUTDOWN};
        List<String> first = runSmp(program);
        List<String> second = runSmp(program);
        assertEquals(first, second);
        assertTrue(first.size() >= 6);
    }

    private static List<String> runSmp(int[] program) throws Exception {
        ToyMachine vm = new ToyMachine(3, program, 25_000);
        assertEquals(StopReason.SHUTDOWN, vm.runUntilStop(TIMEOUT).reason());
        List<String> out = new ArrayList<>();
        for (VmExit e : vm.trace().last(100)) {
            out.add(e.vcpu() + "@" + e.time() + ":" + e.reason().name());
        }
        return out;
    }

    @Test
    void idleTimeIsSkippedToTheNextTimerDeadline() throws Exception {
        long sleep = 5_000_000_000L; // five guest seconds
        ToyMachine vm = new ToyMachine(1, new int[] {HALT, EXIT, SHUTDOWN}, sleep);
        long t0 = System.nanoTime();
        assertEquals(StopReason.SHUTDOWN, vm.runUntilStop(TIMEOUT).reason());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "idle time is not simulated round by round");
        assertTrue(vm.trace().last(1).get(0).time() >= sleep);
    }

    @Test
    void idleForeverIsReportedWhenAsked() throws Exception {
        ToyMachine vm = new ToyMachine(1, new int[] {HALT}, Long.MAX_VALUE);
        vm.setStopWhenIdleForever(true);
        StopEvent s = vm.runUntilStop(TIMEOUT);
        assertEquals(StopReason.ERROR, s.reason());
        assertTrue(s.message().contains("can never run again"), s.message());
    }

    @Test
    void anInterpreterBugBecomesAnErrorStopNotACrash() throws Exception {
        ToyMachine vm = new ToyMachine(1, new int[] {NOP, BOOM}, 0);
        StopEvent s = vm.runUntilStop(TIMEOUT);
        assertEquals(StopReason.ERROR, s.reason());
        assertTrue(s.message().contains("toy interpreter bug"), s.message());
        assertEquals(VirtualMachine.RunState.PAUSED, vm.runState(), "the VM stays inspectable");
    }

    @Test
    void exitBreakpointConditionsAndVcpuFilter() throws Exception {
        ToyMachine vm = new ToyMachine(2, new int[] {NOP, EXIT, NOP, JUMP0}, 0);
        vm.exitBreakpoints().add(ExitCategory.CPUID, null, null, 1, false);
        StopEvent s = vm.runUntilStop(TIMEOUT);
        assertEquals(StopReason.EXIT_BREAKPOINT, s.reason());
        assertEquals(1, s.vcpu(), "breakpoint restricted to vCPU 1");
        assertTrue(vm.statistics().count(0, ToyMachine.TOY_EXIT) > 1, "vCPU 0 took exits without stopping");
    }

    @Test
    void registersByNameAndNumber() {
        ToyMachine vm = new ToyMachine(1, new int[] {NOP}, 0);
        Vcpu v = vm.vcpu(0);
        v.writeRegister(0, 0x1122334455667788L);
        assertEquals(0x1122334455667788L, v.readRegister("acc"));
        byte[] b = v.readRegisterBytes(0);
        assertEquals(8, b.length);
        assertEquals((byte) 0x88, b[0]);
        assertEquals("pc", v.registerByNumber(1).name());
        assertThrows(IllegalArgumentException.class, () -> v.readRegister("nope"));
    }
}
