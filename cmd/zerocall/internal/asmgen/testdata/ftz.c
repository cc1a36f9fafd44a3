/*
 * ftz.c - a function for the generator's tests and the gen verb's: ftz
 * sets flush to zero and denormals are zero, and leaves them set, a load
 * of the floating-point control state that is refused unless allowed.
 */
void ftz(void) {
#if defined(__x86_64__)
	__builtin_ia32_ldmxcsr(__builtin_ia32_stmxcsr() | 0x8040);
#else
	unsigned long fpcr;
	__asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
	__asm__ volatile("msr fpcr, %0" : : "r"(fpcr | 1ul << 24));
#endif
}
