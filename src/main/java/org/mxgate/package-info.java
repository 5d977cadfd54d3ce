/**
 * mxgate: {@code Main} builds the object graph with plain constructors; the command line lives
 * in {@code cli}. May depend on every package.
 */
package org.mxgate;
