/**
 * Mail values: addresses, domains, replies and their catalogue, queue ids (with the instance id
 * that ends them) and the kept message body (its temporary file is the one I/O here). Depends on
 * the JDK only.
 */
package org.mxgate.mail;
