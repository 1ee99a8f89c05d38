// Migrations in the order they run. `npm run migration:generate -- Name` appends here.
import { Init1795237820443 } from './1795237820443-Init';
import { PostsAndMedia1795239799837 } from './1795239799837-PostsAndMedia';
import { Chat1795240833009 } from './1795240833009-Chat';
import { ChatUploads1795242476867 } from './1795242476867-ChatUploads';
import { MediaKeys1796424509807 } from './1796424509807-MediaKeys';
import { MediaDetails1796425078759 } from './1796425078759-MediaDetails';
import { Social1796427000000 } from './1796427000000-Social';
import { Comments1796427600000 } from './1796427600000-Comments';
import { Blocks1796428200000 } from './1796428200000-Blocks';
import { Notifications1796428800000 } from './1796428800000-Notifications';
import { Search1796429400000 } from './1796429400000-Search';
import { Moderation1796430000000 } from './1796430000000-Moderation';
import { RefreshTokens1796430600000 } from './1796430600000-RefreshTokens';
import { VisibleCommentCounts1796431200000 } from './1796431200000-VisibleCommentCounts';
import { SessionAccessTokens1796432400000 } from './1796432400000-SessionAccessTokens';

export const MIGRATIONS = [
  Init1795237820443,
  PostsAndMedia1795239799837,
  Chat1795240833009,
  ChatUploads1795242476867,
  MediaKeys1796424509807,
  MediaDetails1796425078759,
  Social1796427000000,
  Comments1796427600000,
  Blocks1796428200000,
  Notifications1796428800000,
  Search1796429400000,
  Moderation1796430000000,
  RefreshTokens1796430600000,
  VisibleCommentCounts1796431200000,
  SessionAccessTokens1796432400000,
];
