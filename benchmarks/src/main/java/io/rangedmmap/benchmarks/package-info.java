/**
 * JMH benchmarks, each beside its plain-JDK alternative and the hardware ceiling in the same run.
 */
package io.rangedmmap.benchmarks;
