//! Interrupts without checks in loops: whoever sets a store's interrupt flag also signals the
//! thread running its wasm (`SIGURG`, which Go's runtime uses for the same purpose: its
//! default is to be ignored). The handler, finding that thread in a wasm function, makes it
//! resume in a stub instead: the stub saves every register, runs the safepoint as a loop
//! check would have (which may call the store's hook, or stop the wasm with an `interrupt`
//! trap), restores them and goes on where the wasm was.
//!
//! A signal that finds the thread elsewhere does nothing. Compiled code checks the flag
//! wherever it comes back from code a signal cannot divert (builtins, host functions,
//! `call_indirect`), and a host function runs with no thread recorded (a signal would cut
//! its sleeps short). The stub checks the flag once more after the safepoint, and a signal
//! that arrives after that check, while it restores registers, sends it back to the
//! safepoint: no request is lost between the check and the return to wasm.
//!
//! Linux on x86-64 only; elsewhere loops check the flag (`SUPPORTED`).

pub(crate) const SUPPORTED: bool = cfg!(all(target_os = "linux", target_arch = "x86_64"));

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
pub(crate) use imp::install;

#[cfg(not(all(target_os = "linux", target_arch = "x86_64")))]
pub(crate) fn install() {}

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
mod imp {
    use crate::vm::builtins::{safepoint_verdict, STOP};
    use crate::vm::code::is_wasm_function;
    use crate::vm::traps::{forget_thread_id, running_runtime, stop_at};
    use std::ffi::c_void;
    use std::mem::MaybeUninit;

    // The stub is entered with a slot for the interrupted pc at the top of the stack and the
    // 128 bytes of red zone above it left alone. The handler cannot write the pc there: while
    // it runs on the thread's own stack, the kernel's signal frame is where the slot is. The
    // stub saves the flags and the general registers (rbp, the frame pointer, pushed tenth:
    // 80 bytes above the base), then the 16 vector registers, fills the slot from
    // `diverted_pc()`, calls `signalled_safepoint(pc, fp)`, which returns the address of the
    // interrupt flag, and goes again while the flag is set.
    std::arch::global_asm!(
        ".pushsection .text.wasm_engine_preempt,\"ax\",@progbits",
        ".p2align 4",
        ".hidden wasm_engine_preempt_stub",
        ".globl wasm_engine_preempt_stub",
        "wasm_engine_preempt_stub:",
        "pushfq",
        "push rax", "push rcx", "push rdx", "push rbx", "push rbp", "push rsi", "push rdi",
        "push r8", "push r9", "push r10", "push r11", "push r12", "push r13", "push r14", "push r15",
        "mov rbp, rsp",
        "and rsp, -16",
        "sub rsp, 256",
        "movdqu [rsp], xmm0", "movdqu [rsp+16], xmm1", "movdqu [rsp+32], xmm2", "movdqu [rsp+48], xmm3",
        "movdqu [rsp+64], xmm4", "movdqu [rsp+80], xmm5", "movdqu [rsp+96], xmm6", "movdqu [rsp+112], xmm7",
        "movdqu [rsp+128], xmm8", "movdqu [rsp+144], xmm9", "movdqu [rsp+160], xmm10", "movdqu [rsp+176], xmm11",
        "movdqu [rsp+192], xmm12", "movdqu [rsp+208], xmm13", "movdqu [rsp+224], xmm14", "movdqu [rsp+240], xmm15",
        "cld",
        "call {diverted_pc}",
        "mov [rbp+128], rax",
        ".hidden wasm_engine_preempt_again",
        ".globl wasm_engine_preempt_again",
        "wasm_engine_preempt_again:",
        "mov rdi, [rbp+128]",
        "mov rsi, [rbp+80]",
        "call {safepoint}",
        ".hidden wasm_engine_preempt_check",
        ".globl wasm_engine_preempt_check",
        "wasm_engine_preempt_check:",
        "cmp dword ptr [rax], 0",
        "jne wasm_engine_preempt_again",
        "movdqu xmm0, [rsp]", "movdqu xmm1, [rsp+16]", "movdqu xmm2, [rsp+32]", "movdqu xmm3, [rsp+48]",
        "movdqu xmm4, [rsp+64]", "movdqu xmm5, [rsp+80]", "movdqu xmm6, [rsp+96]", "movdqu xmm7, [rsp+112]",
        "movdqu xmm8, [rsp+128]", "movdqu xmm9, [rsp+144]", "movdqu xmm10, [rsp+160]", "movdqu xmm11, [rsp+176]",
        "movdqu xmm12, [rsp+192]", "movdqu xmm13, [rsp+208]", "movdqu xmm14, [rsp+224]", "movdqu xmm15, [rsp+240]",
        "mov rsp, rbp",
        ".hidden wasm_engine_preempt_pops",
        ".globl wasm_engine_preempt_pops",
        "wasm_engine_preempt_pops:",
        "pop r15", "pop r14", "pop r13", "pop r12", "pop r11", "pop r10", "pop r9", "pop r8",
        "pop rdi", "pop rsi", "pop rbp", "pop rbx", "pop rdx", "pop rcx", "pop rax",
        "popfq",
        "ret 128",
        ".popsection",
        safepoint = sym signalled_safepoint,
        diverted_pc = sym diverted_pc,
    );

    extern "C" {
        static wasm_engine_preempt_stub: u8;
        static wasm_engine_preempt_again: u8;
        static wasm_engine_preempt_check: u8;
        static wasm_engine_preempt_pops: u8;
    }

    /// The registers the stub pops, in order, as the kernel's context names them.
    const POPPED: [libc::c_int; 15] = [
        libc::REG_R15, libc::REG_R14, libc::REG_R13, libc::REG_R12, libc::REG_R11, libc::REG_R10, libc::REG_R9,
        libc::REG_R8, libc::REG_RDI, libc::REG_RSI, libc::REG_RBP, libc::REG_RBX, libc::REG_RDX, libc::REG_RCX,
        libc::REG_RAX,
    ];

    /// How many of the stub's pops are done when it is at `offset` from its first: all 15
    /// registers at `popfq`, and the flags too at `ret`. Popping r8 to r15 takes a REX prefix
    /// (2 bytes), the others 1; then `popfq` (1) and `ret 128` (3). A test reads the bytes
    /// back.
    fn pops_done(offset: usize) -> usize {
        match offset {
            RET.. => POPPED.len() + 1,
            POPFQ.. => POPPED.len(),
            0..16 => offset / 2,
            _ => offset - 8,
        }
    }
    const POPFQ: usize = 23;
    const RET: usize = 24;
    const END: usize = 27;

    fn addr(symbol: &u8) -> usize {
        symbol as *const u8 as usize
    }

    thread_local! {
        /// The pc the handler last diverted from, for the stub's slot.
        static DIVERTED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    extern "C" fn diverted_pc() -> usize {
        DIVERTED.with(|d| d.get())
    }

    /// Runs the safepoint for the stub; does not return when the store says stop.
    extern "C" fn signalled_safepoint(pc: usize, fp: usize) -> *const u32 {
        static CLEAR: u32 = 0;
        let Some(runtime) = running_runtime() else { return &CLEAR };
        // SAFETY: the runtime of the store whose wasm this thread runs is alive meanwhile.
        let runtime = unsafe { &*runtime };
        if safepoint_verdict(runtime, usize::MAX) == STOP {
            // SAFETY: the stub was entered from the wasm function at `pc`, whose frame pointer
            // it passed; between here and there are only the stub and this function.
            unsafe { stop_at(pc, fp) }
        }
        runtime.interrupt.flag_ptr()
    }

    static mut PREVIOUS: MaybeUninit<libc::sigaction> = MaybeUninit::uninit();

    /// Installs the handler, once; called by every `Engine::new`, so before any wasm runs.
    pub(crate) fn install() {
        extern "C" fn forked() {
            forget_thread_id();
        }
        static INSTALL: std::sync::Once = std::sync::Once::new();
        // Whether threads must fence as they enter wasm is known before any does.
        crate::vm::threads::asymmetric_fence();
        // SAFETY: PREVIOUS is written here only, before the handler can run.
        INSTALL.call_once(|| unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = handler as *const () as usize;
            action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK | libc::SA_RESTART;
            libc::sigemptyset(&mut action.sa_mask);
            let previous = std::ptr::addr_of_mut!(PREVIOUS);
            if libc::sigaction(crate::vm::threads::SIGNAL, &action, (*previous).as_mut_ptr()) != 0 {
                panic!("cannot install the handler for SIGURG");
            }
            libc::pthread_atfork(None, None, Some(forked));
        });
    }

    /// # Safety
    /// Called by the kernel for SIGURG, with its siginfo and context.
    unsafe extern "C" fn handler(sig: libc::c_int, info: *mut libc::siginfo_t, context: *mut c_void) {
        // SAFETY: the kernel passes the interrupted context.
        let regs = unsafe { &mut (*(context as *mut libc::ucontext_t)).uc_mcontext.gregs };
        if running_runtime().is_some() && divert(regs) {
            return;
        }
        // SAFETY: the kernel's siginfo.
        let ours = unsafe { (*info).si_code == libc::SI_TKILL && (*info).si_pid() == libc::getpid() };
        if !ours {
            // SAFETY: forwarding the kernel's own arguments to the handler we replaced.
            unsafe { forward(sig, info, context) };
        }
    }

    /// Sends the thread whose registers are `regs` to the safepoint if it is in wasm code, or
    /// back to it if it is leaving the stub; whether it did.
    fn divert(regs: &mut [libc::greg_t; 23]) -> bool {
        let reg = |r: libc::c_int| r as usize;
        let pc = regs[reg(libc::REG_RIP)] as usize;
        // SAFETY: the symbols are the stub's labels.
        let (stub, again, check, pops) = unsafe {
            (
                addr(&wasm_engine_preempt_stub),
                addr(&wasm_engine_preempt_again),
                addr(&wasm_engine_preempt_check),
                addr(&wasm_engine_preempt_pops),
            )
        };
        if is_wasm_function(pc) {
            // The slot for the pc, below the red zone; wasm runs with the stack reserve below
            // its stack pointer.
            let sp = regs[reg(libc::REG_RSP)] as usize - 128 - 8;
            DIVERTED.with(|d| d.set(pc));
            regs[reg(libc::REG_RSP)] = sp as libc::greg_t;
            regs[reg(libc::REG_RIP)] = stub as libc::greg_t;
            return true;
        }
        if (check..pops).contains(&pc) {
            // Past the last check, the vector registers maybe restored: the saved ones and
            // the stub's frame are intact.
            regs[reg(libc::REG_RIP)] = again as libc::greg_t;
            return true;
        }
        if (pops..pops + END).contains(&pc) {
            // Finish the pops here, then enter the stub again, as from wasm.
            let popped = pops_done(pc - pops);
            let mut sp = regs[reg(libc::REG_RSP)] as usize;
            for &r in &POPPED[popped.min(POPPED.len())..] {
                // SAFETY: the stub's saved registers are on the stack from `sp` up.
                regs[reg(r)] = unsafe { *(sp as *const libc::greg_t) };
                sp += 8;
            }
            if popped <= POPPED.len() {
                // SAFETY: as above: the saved flags.
                regs[reg(libc::REG_EFL)] = unsafe { *(sp as *const libc::greg_t) };
                sp += 8;
            }
            // SAFETY: the slot the stub filled, above the pops.
            DIVERTED.with(|d| d.set(unsafe { *(sp as *const usize) }));
            regs[reg(libc::REG_RSP)] = sp as libc::greg_t;
            regs[reg(libc::REG_RIP)] = stub as libc::greg_t;
            return true;
        }
        false
    }

    /// # Safety
    /// The arguments are the kernel's, for SIGURG.
    unsafe fn forward(sig: libc::c_int, info: *mut libc::siginfo_t, context: *mut c_void) {
        // SAFETY: written once before our handler was installed.
        let previous = unsafe { (*std::ptr::addr_of!(PREVIOUS)).assume_init_ref() };
        if previous.sa_sigaction == libc::SIG_DFL || previous.sa_sigaction == libc::SIG_IGN {
            return;
        }
        if previous.sa_flags & libc::SA_SIGINFO != 0 {
            // SAFETY: with SA_SIGINFO, sa_sigaction is a three-argument handler.
            let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut c_void) =
                unsafe { std::mem::transmute(previous.sa_sigaction) };
            f(sig, info, context);
        } else {
            // SAFETY: without SA_SIGINFO, sa_sigaction is a one-argument handler.
            let f: extern "C" fn(libc::c_int) = unsafe { std::mem::transmute(previous.sa_sigaction) };
            f(sig);
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        /// Where pop number `index` starts: the inverse of `pops_done`.
        fn pop_offset(index: usize) -> usize {
            if index < 8 { 2 * index } else { 8 + index }
        }

        #[test]
        fn the_stub_ends_as_the_handler_expects() {
            let expected: [&[u8]; 17] = [
                &[0x41, 0x5f], &[0x41, 0x5e], &[0x41, 0x5d], &[0x41, 0x5c], &[0x41, 0x5b], &[0x41, 0x5a],
                &[0x41, 0x59], &[0x41, 0x58], &[0x5f], &[0x5e], &[0x5d], &[0x5b], &[0x5a], &[0x59], &[0x58],
                &[0x9d], &[0xc2, 0x80, 0x00],
            ];
            // SAFETY: reading the stub's own code.
            let code = unsafe { std::slice::from_raw_parts(&wasm_engine_preempt_pops as *const u8, END) };
            let mut at = 0;
            for (i, bytes) in expected.iter().enumerate() {
                let start = match i {
                    15 => POPFQ,
                    16 => RET,
                    _ => pop_offset(i),
                };
                assert_eq!(start, at, "instruction {i}");
                assert_eq!(&code[at..at + bytes.len()], *bytes, "instruction {i}");
                at += bytes.len();
            }
            assert_eq!(at, END);
        }

        /// A signal that lands while the stub restores the registers sends it back: to the
        /// safepoint while the stub's frame stands, else, the pops finished by the handler,
        /// to the stub's start, with the stack as the wasm left it.
        #[test]
        fn a_signal_in_the_stubs_epilogue_goes_back_to_the_safepoint() {
            let reg = |r: libc::c_int| r as usize;
            // SAFETY: the stub's labels.
            let (stub, again, check, pops) = unsafe {
                (
                    addr(&wasm_engine_preempt_stub),
                    addr(&wasm_engine_preempt_again),
                    addr(&wasm_engine_preempt_check),
                    addr(&wasm_engine_preempt_pops),
                )
            };
            let mut regs = [0 as libc::greg_t; 23];
            for pc in [check, pops - 3, pops - 1] {
                regs[reg(libc::REG_RIP)] = pc as libc::greg_t;
                assert!(divert(&mut regs));
                assert_eq!(regs[reg(libc::REG_RIP)] as usize, again);
            }
            let wasm_pc = 0x1234_5678usize as libc::greg_t;
            for done in 0..=POPPED.len() + 1 {
                // What is left on the stack: the registers not popped yet, the flags, the pc.
                let mut stack: Vec<libc::greg_t> = (done..POPPED.len()).map(|i| 1000 + i as libc::greg_t).collect();
                if done <= POPPED.len() {
                    stack.push(0x246);
                }
                stack.push(wasm_pc);
                let mut regs = [-1 as libc::greg_t; 23];
                let at = match done {
                    d if d < POPPED.len() => pop_offset(d),
                    d if d == POPPED.len() => POPFQ,
                    _ => RET,
                };
                regs[reg(libc::REG_RIP)] = (pops + at) as libc::greg_t;
                regs[reg(libc::REG_RSP)] = stack.as_ptr() as libc::greg_t;
                assert!(divert(&mut regs), "after {done} pops");
                assert_eq!(regs[reg(libc::REG_RIP)] as usize, stub, "after {done} pops");
                let top = stack.as_ptr() as usize + 8 * (stack.len() - 1);
                assert_eq!(regs[reg(libc::REG_RSP)] as usize, top, "after {done} pops");
                assert_eq!(diverted_pc(), wasm_pc as usize, "after {done} pops");
                for (i, &r) in POPPED.iter().enumerate() {
                    let expected = if i < done { -1 } else { 1000 + i as libc::greg_t };
                    assert_eq!(regs[reg(r)], expected, "register {i} after {done} pops");
                }
                let flags = if done <= POPPED.len() { 0x246 } else { -1 };
                assert_eq!(regs[reg(libc::REG_EFL)], flags, "flags after {done} pops");
            }
            // Outside wasm code and the stub: nothing to do.
            let mut regs = [0 as libc::greg_t; 23];
            regs[reg(libc::REG_RIP)] = addr as *const () as usize as libc::greg_t;
            assert!(!divert(&mut regs));
        }
    }
}
