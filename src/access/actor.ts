/** Who asks: what every access rule may look at about the caller. */
export interface Actor {
  id: string;
  isSuperuser: boolean;
}
