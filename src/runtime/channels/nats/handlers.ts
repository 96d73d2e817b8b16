import type { Handlers } from '../../../shared/api/define';
import type { natsMethods } from '../../../shared/api/nats';
import type { NatsProfileStore } from '../../connections/nats-profiles';
import type { NatsService } from './service';

/** The back end of the NATS contract (`natsMethods` of src/shared/api/nats.ts). */
export function createNatsHandlers(service: NatsService, profiles: NatsProfileStore): Handlers<typeof natsMethods> {
  return {
    listNatsProfiles: () => profiles.list(),
    saveNatsProfile: (input) => profiles.save(input),
    deleteNatsProfile: async ({ name }) => {
      const deleted = await profiles.remove(name);
      await service.forgetProfile(name);
      return { deleted };
    },
    connectNats: ({ profile }) => service.connect(profile),
    disconnectNats: () => service.disconnect(),
    getNatsStatus: async () => service.current(),
    watchNatsTraffic: async (filter) => service.watchTraffic(filter),
    unwatchNatsTraffic: async ({ watchId }) => ({ stopped: service.unwatchTraffic(watchId) }),
    startRemoteConversation: async (scope) => service.startRemoteConversation(scope),
    sendRemoteMessage: async ({ conversationId, text, submit }) =>
      service.sendRemoteMessage(conversationId, { ...(text !== undefined ? { text } : {}), ...(submit ? { submit } : {}) }),
    endRemoteConversation: async ({ conversationId }) => ({ ended: service.endRemoteConversation(conversationId) }),
    serveOnNats: async ({ queueGroup, flowPath, ...scope }) =>
      service.serve(scope, { ...(queueGroup ? { queueGroup } : {}), ...(flowPath ? { flowPath } : {}) }),
    stopServingOnNats: () => service.stopServing(),
  };
}
