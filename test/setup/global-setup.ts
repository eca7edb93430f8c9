/** Placeholder: the embedded PostgreSQL cluster is started here (lands with the store). */
export default async function setup(): Promise<void> {}
